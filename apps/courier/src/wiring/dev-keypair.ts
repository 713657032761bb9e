/**
 * The localnet dev keypair: generated on first start (mode 0600, in ./.courier/); `courier start`
 * funds the signer by an airdrop when its balance is low at start. Only ever used with the
 * embedded localnet.
 */
import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { coerceError } from "@courier/agent";
import { type Signer, generateKeypairFile, loadKeypair } from "@courier/solana";

/** Balance below which the dev signer is topped up, and how much it gets. */
export const DEV_MIN_BALANCE_LAMPORTS = 100 * 1_000_000_000;
export const DEV_AIRDROP_LAMPORTS = 1_000 * 1_000_000_000;

export async function ensureDevKeypair(path: string): Promise<{ signer: Signer; generated: boolean }> {
  if (existsSync(path)) return { signer: await loadKeypair(path), generated: false };
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    return { signer: await generateKeypairFile(path), generated: true };
  } catch (e) {
    // Another process starting at the same moment created it first (the write is exclusive).
    if ((e as { code?: unknown }).code === "EEXIST" || existsSync(path)) return { signer: await loadKeypair(path), generated: false };
    throw coerceError(e, "COURIER__KEY__UNREADABLE");
  }
}
