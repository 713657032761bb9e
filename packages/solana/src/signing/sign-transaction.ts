/**
 * Build a v0 transaction and sign it with the native signer. The message is compiled and
 * serialized once (compile-message.ts), signed once, and the wire bytes are produced without the
 * library re-verifying signatures (FACTS.md: that re-verification dominated the cost of the
 * legacy path).
 */

import { CourierError } from "@courier/agent";
import type { TransactionInstruction } from "@solana/web3.js";
import bs58 from "bs58";
import type { Signer } from "../keys/signer.js";
import { compileV0Message } from "./compile-message.js";

export interface SignedTransaction {
  signature: string;
  wire: Uint8Array;
  blockhash: string;
}

/** The wire size limit of a Solana transaction. */
export const MAX_TRANSACTION_BYTES = 1232;

export function signTransaction(args: {
  payer: Signer;
  instructions: TransactionInstruction[];
  blockhash: string;
  /** Extra signers (besides the payer) the instructions require. */
  signers?: Signer[];
}): SignedTransaction {
  const { bytes, signers } = compileV0Message(args.payer.publicKey, args.instructions, args.blockhash);
  const count = signers.length;
  // Wire format: compact-u16 signature count, the signatures, the message. Assembled by hand
  // so the message is serialized exactly once.
  const size = 1 + 64 * count + bytes.length;
  if (size > MAX_TRANSACTION_BYTES) {
    throw new CourierError("COURIER__VALIDATION", `the transaction is ${size} bytes, over the ${MAX_TRANSACTION_BYTES}-byte limit`, { bytes: size });
  }
  const all = [args.payer, ...(args.signers ?? [])];
  const wire = new Uint8Array(size);
  wire[0] = count; // ≤ 19 signatures fit in 1232 bytes, so the compact-u16 is one byte
  signers.forEach(({ base58 }, i) => {
    const s = all.find((x) => x.publicKey.toBase58() === base58);
    if (!s) {
      throw new CourierError("COURIER__VALIDATION", `the transaction needs a signature from ${base58}, which Courier does not hold`, { account: base58 });
    }
    wire.set(s.sign(bytes), 1 + 64 * i);
  });
  wire.set(bytes, 1 + 64 * count);
  return { signature: bs58.encode(wire.subarray(1, 65)), wire, blockhash: args.blockhash };
}
