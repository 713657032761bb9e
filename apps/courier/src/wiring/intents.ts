/** The process's intent policy (COURIER_INTENT_KEYS) and the owner key behind `--sign`. */
import { CourierError, isCourierError } from "@courier/agent";
import { createIntentPolicy, type IntentPolicy, loadKeypair, type Signer } from "@courier/solana";
import type { Config } from "../config/index.js";

export function createConfiguredIntentPolicy(config: Pick<Config, "intentKeys">): IntentPolicy {
  return createIntentPolicy({ keys: config.intentKeys });
}

/** The owner keypair named by `--sign`; a file that cannot be used is the caller's mistake (exit 2). */
export async function loadOwnerKey(path: string): Promise<Signer> {
  try {
    return await loadKeypair(path);
  } catch (e) {
    if (!isCourierError(e)) throw e;
    throw new CourierError("COURIER__VALIDATION", `--sign: ${e.message}`, { field: "--sign" }, { cause: e });
  }
}
