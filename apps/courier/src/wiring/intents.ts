/**
 * The process's intent policy (COURIER_INTENT_KEYS) and the owner key behind `--sign`. The Solana
 * stack is imported only when called: commands that never sign or verify start without it.
 */
import { CourierError, isCourierError } from "@courier/agent";
import type { IntentPolicy, Signer } from "@courier/solana";
import type { Config } from "../config/index.js";
import { importQuietly } from "./quiet-import.js";

export async function createConfiguredIntentPolicy(config: Pick<Config, "intentKeys">): Promise<IntentPolicy> {
  const { createIntentPolicy } = await importQuietly(() => import("@courier/solana"));
  return createIntentPolicy({ keys: config.intentKeys });
}

/** The owner keypair named by `--sign`; a file that cannot be used is the caller's mistake (exit 2). */
export async function loadOwnerKey(path: string): Promise<Signer> {
  const { loadKeypair } = await importQuietly(() => import("@courier/solana"));
  try {
    return await loadKeypair(path);
  } catch (e) {
    if (!isCourierError(e)) throw e;
    throw new CourierError("COURIER__VALIDATION", `--sign: ${e.message}`, { field: "--sign" }, { cause: e });
  }
}
