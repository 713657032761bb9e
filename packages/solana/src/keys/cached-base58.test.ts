import { ComputeBudgetProgram, Keypair, PublicKey, SystemProgram, TransactionMessage } from "@solana/web3.js";
import { describe, expect, it } from "vitest";
import { MEMO_PROGRAM_ID } from "../actions/memo.js";
import { withCachedBase58 } from "./cached-base58.js";

describe("withCachedBase58", () => {
  it("answers the key's own encoding without encoding again, through toBase58, toString and toJSON", () => {
    const plain = Keypair.generate().publicKey;
    const text = plain.toBase58();
    const cached = withCachedBase58(new PublicKey(text));
    expect(cached.toBase58()).toBe(text);
    expect(cached.toString()).toBe(text);
    expect(cached.toJSON()).toBe(text);
    expect(cached.equals(plain)).toBe(true);
    // The cached answer is a fixed string, not a new encoding: the key's bytes are not read again.
    (cached as unknown as { _bn: unknown })._bn = undefined;
    expect(cached.toBase58()).toBe(text);
  });

  it("the shared program ids keep their true encodings", () => {
    expect(SystemProgram.programId.toBase58()).toBe("11111111111111111111111111111111");
    expect(ComputeBudgetProgram.programId.toBase58()).toBe("ComputeBudget111111111111111111111111111111");
    expect(MEMO_PROGRAM_ID.toBase58()).toBe("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr");
    expect(new PublicKey(MEMO_PROGRAM_ID.toBytes()).toBase58()).toBe(MEMO_PROGRAM_ID.toBase58());
  });

  it("a message compiled from cached keys is byte for byte the one compiled from plain keys", () => {
    const payer = Keypair.generate().publicKey;
    const to = Keypair.generate().publicKey;
    const build = (p: PublicKey, t: PublicKey) =>
      new TransactionMessage({
        payerKey: p,
        recentBlockhash: "11111111111111111111111111111111",
        instructions: [SystemProgram.transfer({ fromPubkey: p, toPubkey: t, lamports: 5 })],
      })
        .compileToV0Message()
        .serialize();
    const cached = build(withCachedBase58(new PublicKey(payer.toBytes())), withCachedBase58(new PublicKey(to.toBytes())));
    expect(Buffer.from(cached).equals(Buffer.from(build(payer, to)))).toBe(true);
  });
});
