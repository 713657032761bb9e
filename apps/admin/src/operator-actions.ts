/** Side effects of operator actions: wake the local crank, leave an audit trail. */
import { coerceError } from "@courier/agent";
import type { AdminDeps } from "./types.js";

export function wakeCrank(deps: AdminDeps): void {
  try {
    deps.onScheduled?.();
  } catch (e) {
    deps.logger?.warn({ err: coerceError(e).toJSON() }, "admin.wake_crank.failed");
  }
}

/** Operator actions leave a trace; a failed audit write must not undo the action itself. */
export async function recordAudit(deps: AdminDeps, kind: string, op_id: string | null, data: Record<string, unknown>): Promise<void> {
  deps.logger?.info({ kind, op_id, ...data }, "admin.operator_action");
  try {
    await deps.store.audit({ at: deps.clock.now(), instance: deps.instanceId, kind, op_id, data: { via: "admin-api", ...data } });
  } catch (e) {
    deps.logger?.warn({ err: coerceError(e).toJSON(), kind, op_id }, "admin.audit.failed");
  }
}
