/**
 * /readyz: can this process's crank do work right now, and if not, what should an operator do?
 * Each reason carries one action; the most fundamental blocked dependency (store, then the
 * process's own report such as safe mode, then halt, then RPC, then pause) gives the recommended action.
 */
import { type CrankControl, coerceError } from "@courier/agent";
import { toIsoOrNull } from "./iso-time.js";
import { getRpcHealth } from "./rpc-health.js";
import type { AdminDeps, RpcEndpointHealth } from "./types.js";

export interface Readiness {
  ready: boolean;
  reasons: string[];
  recommended_action: string | null;
}

interface Blocker {
  reason: string;
  action: string | null;
}

export async function getReadiness(deps: AdminDeps): Promise<Readiness> {
  const blockers: Blocker[] = [];

  let control: CrankControl | null = null;
  try {
    control = await deps.store.getControl();
  } catch (e) {
    const err = coerceError(e);
    deps.logger?.warn({ err: err.toJSON() }, "admin.readyz.store_unreachable");
    blockers.push({
      reason: `store unreachable (${err.code})`,
      action: "check COURIER_DB (path, disk space, permissions) and run `courier doctor`",
    });
  }

  // The process's own report (store safe mode, a crank loop restarting) comes next: it is as
  // fundamental as the store's reachability, and its action is the one to take first.
  if (deps.readiness) {
    try {
      const extra = await deps.readiness();
      if (extra && !extra.ready) {
        for (const [i, reason] of extra.reasons.entries()) {
          blockers.push({ reason, action: i === 0 ? extra.recommended_action : null });
        }
        if (extra.reasons.length === 0) blockers.push({ reason: "not ready", action: extra.recommended_action });
      }
    } catch (e) {
      const err = coerceError(e);
      deps.logger?.warn({ err: err.toJSON() }, "admin.readyz.check_failed");
      blockers.push({ reason: "a readiness check failed (see logs)", action: null });
    }
  }

  if (control?.halted) {
    blockers.push({
      reason: `crank halted since ${toIsoOrNull(control.halted_at) ?? "unknown time"}${control.halted_reason ? `: ${control.halted_reason}` : ""}`,
      action: "inspect GET /admin/api/courier/audit and the logs, fix the cause, then POST /admin/api/courier/resume",
    });
  }

  const rpcDown = getAllRpcDown(getRpcHealth(deps));
  if (rpcDown) {
    blockers.push({
      reason: `all RPC endpoints down${rpcDown.since !== null ? ` since ${toIsoOrNull(rpcDown.since)}` : ""}`,
      action: "check COURIER_RPC_URLS and the provider's status page",
    });
  }

  if (control?.paused && !control.halted) {
    blockers.push({
      reason: `crank paused by ${control.paused_by ?? "unknown"} since ${toIsoOrNull(control.paused_at) ?? "unknown time"}`,
      action: "POST /admin/api/courier/resume to continue",
    });
  }

  if (deps.crankState?.() === "stopping") {
    blockers.push({ reason: "process is shutting down", action: null });
  }

  if (blockers.length === 0) return { ready: true, reasons: [], recommended_action: null };
  return {
    ready: false,
    reasons: blockers.map((b) => b.reason),
    recommended_action: blockers.find((b) => b.action !== null)?.action ?? null,
  };
}

/** When every endpoint is down: since the most recent time the last one went down. */
export function getAllRpcDown(health: RpcEndpointHealth[] | undefined): { since: number | null } | null {
  if (!health || health.length === 0) return null;
  if (health.some((h) => h.healthy)) return null;
  const times = health.map((h) => h.down_since).filter((t): t is number => typeof t === "number");
  // all down "since" the moment the last healthy endpoint went down
  return { since: times.length === health.length ? Math.max(...times) : null };
}
