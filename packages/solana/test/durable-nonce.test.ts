/**
 * The durable-nonce wire check the executor relies on to recognise a nonce-bounded ledger entry
 * (its expiry is "the nonce moved", not block height). The end-to-end nonce test lives in
 * actions.test.ts and waits for the localnet to accept nonce transactions.
 */
import { createSignerFromSecretKey, getNonceAccountOfWire, signTransaction } from "@courier/solana";
import { Keypair, SystemProgram } from "@solana/web3.js";
import { describe, expect, it } from "vitest";

describe("durable nonce wire check", () => {
  const payer = createSignerFromSecretKey(Keypair.generate().secretKey);
  const blockhash = Keypair.generate().publicKey.toBase58();
  const transfer = SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: Keypair.generate().publicKey, lamports: 1 });

  it("finds the nonce account of an AdvanceNonceAccount-first transaction", () => {
    const nonce = Keypair.generate().publicKey;
    const advance = SystemProgram.nonceAdvance({ noncePubkey: nonce, authorizedPubkey: payer.publicKey });
    const { wire } = signTransaction({ payer, instructions: [advance, transfer], blockhash });
    expect(getNonceAccountOfWire(wire)?.toBase58()).toBe(nonce.toBase58());
  });

  it("returns null for an ordinary transaction", () => {
    const { wire } = signTransaction({ payer, instructions: [transfer], blockhash });
    expect(getNonceAccountOfWire(wire)).toBeNull();
  });
});
