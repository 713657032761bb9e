import { Keypair } from "@solana/web3.js";

/** A fresh random Solana address (base58), e.g. a transfer recipient. */
export function getRandomAddress(): string {
  return Keypair.generate().publicKey.toBase58();
}
