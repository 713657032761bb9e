/** A small registry for the schedule tests (not exported from the package). */
import { z } from "zod";
import { type ActionRegistry, createActionRegistry } from "../actions/registry.js";

export function createTestRegistry(): ActionRegistry {
  const registry = createActionRegistry();
  registry.register({
    name: "sol.transfer",
    params: z.strictObject({ to: z.string().min(32).max(44), lamports: z.number().int().positive() }),
  });
  registry.register({ name: "memo", params: z.object({ text: z.string().max(566) }) });
  registry.register({ name: "noop", params: z.object({}).passthrough() });
  return registry;
}
