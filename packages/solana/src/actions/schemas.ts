/** Shared zod pieces for action params. */
import { PublicKey } from "@solana/web3.js";
import { z } from "zod";

/** A base58 public key. */
export const base58Key = z.string().refine(
  (s) => {
    try {
      return new PublicKey(s).toBase58() === s;
    } catch {
      return false;
    }
  },
  { message: "must be a base58 public key" },
);

/**
 * A non-negative integer given as a number or an integer string (u64 amounts exceed 2^53).
 * No transform: parsed params are stored as JSON, so builders convert with `BigInt`.
 * Validation never throws: "1.5" or "abc" is an issue like any other.
 */
export const u64Amount = z.union([
  z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  // The refine runs even when the regex failed (zod reports every check): it must not throw on "1.5".
  z
    .string()
    .regex(/^[0-9]{1,20}$/, "must be an integer string")
    .refine((s) => !/^[0-9]{1,20}$/.test(s) || BigInt(s) < 2n ** 64n, { message: "must fit in a u64" }),
]);
