/**
 * The Solana action set: what the executor can build. It is mirrored into the agent's action
 * registry (`registerSolanaActions`) so params are validated when an op is scheduled.
 */
import type { ActionRegistry } from "@courier/agent";
import { CourierError } from "@courier/agent";
import { anchorInvokeAction } from "./anchor-invoke.js";
import { memoAction } from "./memo.js";
import { solTransferAction } from "./sol-transfer.js";
import { splTransferAction } from "./spl-transfer.js";
import type { SolanaActionDef } from "./types.js";

export interface SolanaActionRegistry {
  /** Add an action; a second action with the same name throws COURIER__CONFLICT. */
  register(def: SolanaActionDef): void;
  get(name: string): SolanaActionDef | undefined;
  list(): string[];
}

/** The built-in actions: sol.transfer, spl.transfer, memo, anchor.invoke. */
export function getBuiltinSolanaActions(): SolanaActionDef[] {
  return [solTransferAction, splTransferAction, memoAction, anchorInvokeAction] as unknown as SolanaActionDef[];
}

export function createSolanaActionRegistry(opts: { builtins?: boolean } = {}): SolanaActionRegistry {
  const defs = new Map<string, SolanaActionDef>();
  const registry: SolanaActionRegistry = {
    register(def) {
      if (defs.has(def.name)) {
        throw new CourierError("COURIER__CONFLICT", `action "${def.name}" is already registered`, { action: def.name });
      }
      defs.set(def.name, def);
    },
    get: (name) => defs.get(name),
    list: () => [...defs.keys()].sort(),
  };
  if (opts.builtins !== false) for (const def of getBuiltinSolanaActions()) registry.register(def);
  return registry;
}

/**
 * Register every action of `actions` (the built-ins by default) into the agent's registry, so
 * scheduling validates their params. Returns the Solana registry to hand to the executor.
 */
export function registerSolanaActions(registry: ActionRegistry, actions: SolanaActionRegistry = createSolanaActionRegistry()): SolanaActionRegistry {
  for (const name of actions.list()) {
    const def = actions.get(name);
    if (def && !registry.has(name)) registry.register({ name: def.name, params: def.params, ...(def.description ? { description: def.description } : {}) });
  }
  return actions;
}

/** Add a user action to the Solana registry and, when given, to the agent's registry too. */
export function registerAction<S extends SolanaActionDef>(actions: SolanaActionRegistry, def: S, registry?: ActionRegistry): void {
  actions.register(def as unknown as SolanaActionDef);
  registry?.register({ name: def.name, params: def.params, ...(def.description ? { description: def.description } : {}) });
}
