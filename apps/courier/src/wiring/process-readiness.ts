/**
 * What this process adds to /readyz beyond the store's control row and the RPC pool: store safe
 * mode, and the supervisor waiting out a restart cooldown after a crash (the loop is down, so
 * nothing is claimed until it restarts).
 */
import type { SupervisorState } from "@courier/agent";
import type { ReadinessReport } from "@courier/admin";

export interface ProcessReadinessSources {
  safeMode: () => ReadinessReport | null;
  supervisorState: () => SupervisorState;
}

export function getProcessReadiness(sources: ProcessReadinessSources): ReadinessReport | null {
  const safe = sources.safeMode();
  const restarting = sources.supervisorState() === "restarting";
  if (!restarting) return safe;
  const reasons = [...(safe?.reasons ?? []), "crank loop restarting after a crash (supervisor cooldown): nothing is claimed until it is back"];
  return {
    ready: false,
    reasons,
    recommended_action:
      safe?.recommended_action ?? "none if it is rare (it restarts by itself); read the supervisor.crash audit event (GET /admin/api/courier/audit) if it repeats",
  };
}
