import { CourierError } from "@courier/agent";
import { Keypair, type PublicKey, SystemProgram, TransactionInstruction, TransactionMessage } from "@solana/web3.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMemoInstruction } from "../actions/memo.js";
import { getComputeBudgetInstructions } from "../fees/compute-budget.js";
import { createSignerFromSecretKey, type Signer } from "../keys/signer.js";
import { compileV0Message } from "./compile-message.js";
import { signTransaction } from "./sign-transaction.js";

/** web3.js's own compile and serialize: the reference the compiler must match byte for byte. */
function compileWithWeb3(payer: PublicKey, instructions: TransactionInstruction[], blockhash: string) {
  const m = new TransactionMessage({ payerKey: payer, recentBlockhash: blockhash, instructions }).compileToV0Message();
  return { bytes: m.serialize(), signers: m.staticAccountKeys.slice(0, m.header.numRequiredSignatures).map((k) => k.toBase58()) };
}

// A small pool, so keys repeat across instructions with mixed flags, a program id is also an
// account, and the payer shows up again as a plain account.
const pool = Array.from({ length: 7 }, () => Keypair.generate().publicKey);
const payer = pool[0] as PublicKey;
const keyOf = fc.constantFrom(...pool);
const instruction = fc
  .record({
    programId: keyOf,
    keys: fc.array(fc.record({ pubkey: keyOf, isSigner: fc.boolean(), isWritable: fc.boolean() }), { maxLength: 6 }),
    // Up to 200 bytes: lengths of 128 and more take a two-byte compact-u16.
    data: fc.uint8Array({ maxLength: 200 }),
  })
  .map((r) => new TransactionInstruction({ programId: r.programId, keys: r.keys, data: Buffer.from(r.data) }));
const blockhash = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Keypair.fromSeed(b).publicKey.toBase58());

describe("compileV0Message", () => {
  it("serializes exactly as web3.js's compileToV0Message, with the same signers in the same order", () => {
    fc.assert(
      fc.property(fc.array(instruction, { maxLength: 4 }), blockhash, (ixs, hash) => {
        const ours = compileV0Message(payer, ixs, hash);
        const theirs = compileWithWeb3(payer, ixs, hash);
        expect(Buffer.from(ours.bytes).toString("hex")).toBe(Buffer.from(theirs.bytes).toString("hex"));
        expect(ours.signers.map((s) => s.base58)).toEqual(theirs.signers);
      }),
      { numRuns: 500 },
    );
  });

  it("matches web3.js for Courier's own transaction shapes, and when the blockhash changes and changes back", () => {
    const to = Keypair.generate().publicKey;
    const shapes = [
      [SystemProgram.transfer({ fromPubkey: payer, toPubkey: to, lamports: 1_000_000 }), createMemoInstruction("courier:op_1:1")],
      [...getComputeBudgetInstructions({ units: 1_400, microLamports: 25 }), SystemProgram.transfer({ fromPubkey: payer, toPubkey: to, lamports: 7 }), createMemoInstruction("x")],
    ];
    const hashes = [Keypair.generate().publicKey.toBase58(), Keypair.generate().publicKey.toBase58()];
    for (const hash of [hashes[0], hashes[1], hashes[0]] as string[]) {
      for (const ixs of shapes) expect(Buffer.from(compileV0Message(payer, ixs, hash).bytes)).toEqual(Buffer.from(compileWithWeb3(payer, ixs, hash).bytes));
    }
  });

  it("refuses a message that would index more than 256 accounts (the payer, the program and 256 others)", () => {
    const keys = Array.from({ length: 256 }, () => ({ pubkey: Keypair.generate().publicKey, isSigner: false, isWritable: false }));
    const ix = new TransactionInstruction({ programId: SystemProgram.programId, keys, data: Buffer.alloc(0) });
    expect(() => compileV0Message(payer, [ix], Keypair.generate().publicKey.toBase58())).toThrow(/references 258 accounts, over the 256 a message can index/);
  });
});

describe("signTransaction", () => {
  /** A signer that must not be asked: the transaction is refused before any signature. */
  function refusingSigner(of: Signer): Signer {
    return {
      publicKey: of.publicKey,
      sign: () => {
        throw new Error("sign must not be called");
      },
    };
  }

  it("refuses a transaction over 1,232 bytes with a validation error, before signing", () => {
    const signer = refusingSigner(createSignerFromSecretKey(Keypair.generate().secretKey));
    const ix = createMemoInstruction("m".repeat(1_200));
    let error: unknown;
    try {
      signTransaction({ payer: signer, instructions: [ix], blockhash: Keypair.generate().publicKey.toBase58() });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CourierError);
    expect((error as CourierError).code).toBe("COURIER__VALIDATION");
    expect((error as CourierError).message).toMatch(/over the 1232-byte limit/);
  });

  it("refuses a transaction that needs a signature Courier does not hold", () => {
    const signer = createSignerFromSecretKey(Keypair.generate().secretKey);
    const other = Keypair.generate().publicKey;
    const ix = SystemProgram.transfer({ fromPubkey: other, toPubkey: signer.publicKey, lamports: 1 });
    expect(() => signTransaction({ payer: signer, instructions: [ix], blockhash: Keypair.generate().publicKey.toBase58() })).toThrow(
      new RegExp(`needs a signature from ${other.toBase58()}`),
    );
  });
});
