/** The action registry every entry point validates ops with: the built-in Solana actions. */
import { type ActionRegistry, createActionRegistry } from "@courier/agent";
import { type SolanaActionRegistry, registerSolanaActions } from "@courier/solana";

export interface CourierRegistries {
  /** The agent's registry (param schemas checked when an op is scheduled). */
  registry: ActionRegistry;
  /** The Solana action builders the executor uses. */
  solanaActions: SolanaActionRegistry;
}

export function createCourierRegistries(): CourierRegistries {
  const registry = createActionRegistry();
  const solanaActions = registerSolanaActions(registry);
  return { registry, solanaActions };
}
