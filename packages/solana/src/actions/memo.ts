import { PublicKey, TransactionInstruction } from "@solana/web3.js";
import { z } from "zod";
import { withCachedBase58 } from "../keys/cached-base58.js";
import { base58Key } from "./schemas.js";
import type { SolanaActionDef } from "./types.js";

export const MEMO_PROGRAM_ID = withCachedBase58(new PublicKey("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr"));
export const MAX_MEMO_BYTES = 566;

const params = z.object({
  text: z
    .string()
    .min(1)
    .refine((t) => Buffer.byteLength(t, "utf8") <= MAX_MEMO_BYTES, { message: `must be at most ${MAX_MEMO_BYTES} bytes (UTF-8)` }),
  nonce_account: base58Key.optional(),
});

export function createMemoInstruction(text: string): TransactionInstruction {
  return new TransactionInstruction({ programId: MEMO_PROGRAM_ID, keys: [], data: Buffer.from(text, "utf8") });
}

/**
 * Compute units a memo of `bytes` needs: the memo program's cost grows with its UTF-8 check and
 * log. Measured on the localnet (docs/fees.md): 274 CU for 1 byte, 287 for 32, 400 for 200, 766
 * for 566; this bound stays above every measurement.
 */
export function getMemoComputeUnits(bytes: number): number {
  return 300 + bytes;
}

export const memoAction: SolanaActionDef<typeof params> = {
  name: "memo",
  description: "Write a memo (SPL Memo program).",
  params,
  build(p) {
    return {
      instructions: [createMemoInstruction(p.text)],
      lamports: 0,
      computeUnits: getMemoComputeUnits(Buffer.byteLength(p.text, "utf8")),
      ...(p.nonce_account ? { nonceAccount: new PublicKey(p.nonce_account) } : {}),
    };
  },
};
