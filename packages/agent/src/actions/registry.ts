/**
 * The action registry: which actions exist and the zod schema each one's params must satisfy.
 * Params are validated when an op is scheduled, so a malformed op is refused at the door
 * instead of failing at 3 a.m. when it comes due. An object schema is made strict when it is
 * registered: unknown keys are an error naming them (`params.nonce_acount: unknown field`).
 */
import { z } from "zod";
import { CourierError, isCourierError } from "../errors.js";
import type { ActionDef } from "../types.js";
import { toFieldIssues } from "./zod-issues.js";

export interface ActionRegistry {
  /** Add an action; a second action with the same name throws COURIER__CONFLICT. */
  register(def: ActionDef): void;
  get(name: string): ActionDef | undefined;
  has(name: string): boolean;
  /** Registered action names, sorted. */
  list(): string[];
  /**
   * The parsed params (zod output, defaults applied) of `name`, or a CourierError:
   * COURIER__ACTION__UNKNOWN (context.field "action") or COURIER__ACTION__INVALID_PARAMS
   * (context.field "params.<path>" of the first issue, context.issues all of them).
   */
  validate(name: string, params: unknown): unknown;
  /** Run the action's own `check` (if any) on already validated params. */
  check(name: string, params: unknown): Promise<void>;
}

export function createActionRegistry(): ActionRegistry {
  const defs = new Map<string, ActionDef>();

  function register(def: ActionDef): void {
    if (typeof def?.name !== "string" || def.name.length === 0) {
      throw new CourierError("COURIER__VALIDATION", "action name must be a non-empty string", { field: "name" });
    }
    if (defs.has(def.name)) {
      throw new CourierError("COURIER__CONFLICT", `action "${def.name}" is already registered`, { action: def.name });
    }
    // Params are strict whatever the action wrote: an unknown key (a typo, a field this action
    // does not take) is refused by name instead of silently dropped.
    defs.set(def.name, def.params instanceof z.ZodObject ? { ...def, params: def.params.strict() } : def);
  }

  function list(): string[] {
    return [...defs.keys()].sort();
  }

  function validate(name: string, params: unknown): unknown {
    const def = typeof name === "string" ? defs.get(name) : undefined;
    if (!def) {
      const known = list();
      const message = `unknown action ${JSON.stringify(name)}${known.length ? ` (known: ${known.join(", ")})` : ""}`;
      throw new CourierError("COURIER__ACTION__UNKNOWN", `action: ${message}`, {
        field: "action",
        action: name,
        known,
        issues: [{ path: "action", message }],
      });
    }
    const result = def.params.safeParse(params);
    if (result.success) return result.data;
    const issues = toFieldIssues(result.error, "params");
    const first = issues[0] ?? { path: "params", message: "invalid" };
    throw new CourierError(
      "COURIER__ACTION__INVALID_PARAMS",
      `${first.path}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ""}`,
      { field: first.path, action: def.name, issues },
    );
  }

  async function check(name: string, params: unknown): Promise<void> {
    const def = defs.get(name);
    if (!def?.check) return;
    try {
      await def.check(params);
    } catch (e) {
      if (isCourierError(e, "COURIER__ACTION__INVALID_PARAMS")) throw e;
      // An unexpected failure of a check is still the caller's params being refused, never a 500.
      const message = e instanceof Error ? e.message : String(e);
      throw new CourierError("COURIER__ACTION__INVALID_PARAMS", `params: ${message}`, { field: "params", action: name, issues: [{ path: "params", message }] });
    }
  }

  return {
    register,
    check,
    get: (name) => defs.get(name),
    has: (name) => defs.has(name),
    list,
    validate,
  };
}
