/**
 * The Solana action set: what the executor can build. It is mirrored into the agent's action
 * registry (`registerSolanaActions`) so params are validated when an op is scheduled.
 */
import type { ActionDef, ActionRegistry } from "@courier/agent";
import { CourierError } from "@courier/agent";
import { createAnchorInvokeAction } from "./anchor-invoke.js";
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

export interface BuiltinActionOptions {
  /** The only directory anchor.invoke reads IDL files from (COURIER_IDL_DIR). Default "idl" (relative to the working directory). */
  idlDir?: string;
}

/** The built-in actions: sol.transfer, spl.transfer, memo, anchor.invoke. */
export function getBuiltinSolanaActions(opts: BuiltinActionOptions = {}): SolanaActionDef[] {
  const anchorInvoke = createAnchorInvokeAction({ idlDir: opts.idlDir ?? "idl" });
  return [solTransferAction, splTransferAction, memoAction, anchorInvoke] as unknown as SolanaActionDef[];
}

export function createSolanaActionRegistry(opts: { builtins?: boolean } & BuiltinActionOptions = {}): SolanaActionRegistry {
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
  if (opts.builtins !== false) for (const def of getBuiltinSolanaActions(opts)) registry.register(def);
  return registry;
}

/**
 * Register every action of `actions` (the built-ins by default) into the agent's registry, so
 * scheduling validates their params. Returns the Solana registry to hand to the executor.
 */
export function registerSolanaActions(registry: ActionRegistry, actions: SolanaActionRegistry = createSolanaActionRegistry()): SolanaActionRegistry {
  for (const name of actions.list()) {
    const def = actions.get(name);
    if (def && !registry.has(name)) registry.register(toAgentAction(def));
  }
  return actions;
}

/** The part of a Solana action the agent's registry checks at schedule time. */
function toAgentAction(def: SolanaActionDef): ActionDef {
  return {
    name: def.name,
    params: def.params,
    ...(def.description ? { description: def.description } : {}),
    ...(def.check ? { check: def.check.bind(def) } : {}),
  };
}

/** Add a user action to the Solana registry and, when given, to the agent's registry too. */
export function registerAction<S extends SolanaActionDef>(actions: SolanaActionRegistry, def: S, registry?: ActionRegistry): void {
  actions.register(def as unknown as SolanaActionDef);
  registry?.register(toAgentAction(def as unknown as SolanaActionDef));
}
