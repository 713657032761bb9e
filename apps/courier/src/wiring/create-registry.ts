/** The action registry every entry point validates ops with: the built-in Solana actions. */
import { type ActionRegistry, createActionRegistry } from "@courier/agent";
import type { SolanaActionRegistry } from "@courier/solana";
import { importQuietly } from "./quiet-import.js";

export interface CourierRegistries {
  /** The agent's registry (param schemas checked when an op is scheduled). */
  registry: ActionRegistry;
  /** The Solana action builders the executor uses. */
  solanaActions: SolanaActionRegistry;
}

export async function createCourierRegistries(): Promise<CourierRegistries> {
  // Loaded on demand: commands that only read the store need none of the Solana stack.
  const { registerSolanaActions } = await importQuietly(() => import("@courier/solana"));
  const registry = createActionRegistry();
  const solanaActions = registerSolanaActions(registry);
  return { registry, solanaActions };
}
