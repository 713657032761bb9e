import { getCompiledTransactionMessageDecoder, getTransactionDecoder } from "@solana/kit";
import { Keypair, SystemProgram, Transaction, TransactionMessage, VersionedTransaction } from "@solana/web3.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeBase58 } from "./base58.js";
import { parseWireTransaction, WireFormatError } from "./wire-transaction.js";

const payer = Keypair.generate();
const blockhash = Keypair.generate().publicKey.toBase58();
const legacy = (() => {
  const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash }).add(SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: Keypair.generate().publicKey, lamports: 7 }));
  tx.sign(payer);
  return tx.serialize();
})();
const v0 = (() => {
  const msg = new TransactionMessage({ payerKey: payer.publicKey, recentBlockhash: blockhash, instructions: [SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: Keypair.generate().publicKey, lamports: 7 })] }).compileToV0Message();
  const tx = new VersionedTransaction(msg);
  tx.sign([payer]);
  return tx.serialize();
})();

describe("parseWireTransaction", () => {
  it("reads legacy and v0 transactions as the validator lays them out", () => {
    for (const [bytes, version] of [[legacy, "legacy"], [v0, 0]] as const) {
      const tx = parseWireTransaction(bytes);
      expect(tx.version).toBe(version);
      expect(tx.signatures).toHaveLength(1);
      expect(encodeBase58(tx.accountKeys[0]!)).toBe(payer.publicKey.toBase58());
      expect(encodeBase58(tx.blockhash)).toBe(blockhash);
      expect(tx.instructions).toHaveLength(1);
      expect(tx.bytes.length).toBe(bytes.length);
    }
  });

  it("rejects aliased short_vec lengths that @solana/kit accepts (bincode would abort LiteSVM)", () => {
    const aliased = Buffer.concat([Buffer.from([0x81, 0x00]), legacy.subarray(1)]);
    expect(() => getTransactionDecoder().decode(aliased)).not.toThrow();
    expect(() => parseWireTransaction(aliased)).toThrow(WireFormatError);
  });

  it("rejects unsupported versions, zero signatures and bad indices", () => {
    const v1 = Buffer.from(v0);
    v1[65] = 0x81;
    expect(() => parseWireTransaction(v1)).toThrow(/version/);
    const unsigned = Buffer.concat([Buffer.from([0]), legacy.subarray(65)]);
    expect(() => parseWireTransaction(unsigned)).toThrow(/sanitize/);
    expect(() => parseWireTransaction(new Uint8Array(1300))).toThrow(/too large/);
  });

  it("whatever it accepts, @solana/kit decodes too (random truncations and flips)", () => {
    fc.assert(
      fc.property(fc.constantFrom(legacy, v0), fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 }), (base, cut, at, x) => {
        const b = Buffer.from(base.subarray(0, base.length - (cut % 8)));
        b[at % b.length]! ^= x;
        let ok = true;
        try {
          parseWireTransaction(b);
        } catch (e) {
          expect(e).toBeInstanceOf(WireFormatError);
          ok = false;
        }
        if (ok) {
          const decoded = getTransactionDecoder().decode(b);
          expect(() => getCompiledTransactionMessageDecoder().decode(decoded.messageBytes)).not.toThrow();
        }
      }),
      { numRuns: 3000 },
    );
  });
});
