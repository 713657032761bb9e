/** This process's RPC pool health as the admin service shows it (no secrets: the pool strips them). */
import { coerceError } from "@courier/agent";
import { toIsoOrNull } from "./iso-time.js";
import type { AdminDeps, RpcEndpointHealth } from "./types.js";

export interface RpcHealthJSON {
  endpoint: string;
  healthy: boolean;
  circuit: RpcEndpointHealth["circuit"];
  latency_ms: number | null;
  down_since: string | null;
  last_error: string | null;
  rate_limit?: { mode: "auto" | "fixed"; rps: number; methods: Record<string, number>; blocked_until: string | null };
}

/** The pool's health, or [] when there is no pool or it failed to answer (logged). */
export function getRpcHealth(deps: AdminDeps): RpcEndpointHealth[] {
  if (!deps.rpcHealth) return [];
  try {
    return deps.rpcHealth();
  } catch (e) {
    deps.logger?.warn({ err: coerceError(e).toJSON() }, "admin.rpc_health.failed");
    return [];
  }
}

export function rpcHealthToJSON(health: RpcEndpointHealth[]): RpcHealthJSON[] {
  return health.map((h) => ({
    endpoint: h.endpoint,
    healthy: h.healthy,
    circuit: h.circuit,
    latency_ms: h.latency_ms,
    down_since: toIsoOrNull(h.down_since),
    last_error: h.last_error ?? null,
    ...(h.rate_limit ? { rate_limit: { ...h.rate_limit, blocked_until: toIsoOrNull(h.rate_limit.blocked_until) } } : {}),
  }));
}
