/**
 * The action registries every entry point uses: the built-in Solana actions (anchor.invoke
 * reading IDLs from COURIER_IDL_DIR) plus the custom actions of COURIER_ACTIONS, so `courier
 * start` can run them and `courier schedule` validates their params the same way.
 */
import { type ActionRegistry, CourierError, createActionRegistry } from "@courier/agent";
import type { SolanaActionRegistry } from "@courier/solana";
import type { Config } from "../config/index.js";
import { loadCustomActions } from "./load-custom-actions.js";
import { importQuietly } from "./quiet-import.js";

export interface CourierRegistries {
  /** The agent's registry (param schemas checked when an op is scheduled). */
  registry: ActionRegistry;
  /** The Solana action builders the executor uses. */
  solanaActions: SolanaActionRegistry;
}

export async function createCourierRegistries(config: Pick<Config, "idlDir" | "actions">): Promise<CourierRegistries> {
  // Loaded on demand: commands that only read the store need none of the Solana stack.
  const { createSolanaActionRegistry, registerSolanaActions } = await importQuietly(() => import("@courier/solana"));
  const solanaActions = createSolanaActionRegistry({ idlDir: config.idlDir });
  for (const def of await loadCustomActions(config.actions)) {
    if (solanaActions.get(def.name)) {
      throw new CourierError("COURIER__CONFIG", `COURIER_ACTIONS: action "${def.name}" is defined twice (or shadows a built-in)`, { field: "COURIER_ACTIONS" });
    }
    solanaActions.register(def);
  }
  const registry = createActionRegistry();
  registerSolanaActions(registry, solanaActions);
  return { registry, solanaActions };
}
