import { Keypair } from "@solana/web3.js";
// The reference implementation, a dev dependency only (its tree carries bigint-buffer).
import * as spl from "@solana/spl-token";
import { describe, expect, it } from "vitest";
import {
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
  createAssociatedTokenAccountIdempotent,
  createTransferChecked,
  getAssociatedTokenAddress,
} from "./token-instructions.js";

const plain = (ix: { programId: { toBase58(): string }; keys: Array<{ pubkey: { toBase58(): string }; isSigner: boolean; isWritable: boolean }>; data: Buffer }) => ({
  programId: ix.programId.toBase58(),
  keys: ix.keys.map((k) => ({ pubkey: k.pubkey.toBase58(), isSigner: k.isSigner, isWritable: k.isWritable })),
  data: Buffer.from(ix.data).toString("hex"),
});

const key = () => Keypair.generate().publicKey;

describe("hand-encoded SPL token instructions", () => {
  it("match @solana/spl-token byte for byte, for both token programs", () => {
    for (const program of [TOKEN_PROGRAM_ID, TOKEN_2022_PROGRAM_ID]) {
      for (let i = 0; i < 5; i++) {
        const [mint, owner, payer, signer] = [key(), key(), key(), key()];
        const ata = getAssociatedTokenAddress(mint, owner, program);
        expect(ata.toBase58()).toBe(spl.getAssociatedTokenAddressSync(mint, owner, true, program).toBase58());
        expect(plain(createAssociatedTokenAccountIdempotent(payer, ata, owner, mint, program))).toEqual(
          plain(spl.createAssociatedTokenAccountIdempotentInstruction(payer, ata, owner, mint, program)),
        );
        const source = getAssociatedTokenAddress(mint, signer, program);
        for (const [amount, decimals] of [[0n, 0], [1n, 6], [18_446_744_073_709_551_615n, 255], [250_000n, 9]] as const) {
          expect(plain(createTransferChecked(source, mint, ata, signer, amount, decimals, program))).toEqual(
            plain(spl.createTransferCheckedInstruction(source, mint, ata, signer, amount, decimals, [], program)),
          );
        }
      }
    }
  });
});
