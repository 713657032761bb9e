/**
 * GET /metrics: Prometheus text. Gauges of shared state are refreshed from the store and the
 * RPC pool at scrape time; a store failure is reported as courier_store_up 0, not as a 500,
 * so the scrape itself still shows what went wrong.
 */
import { coerceError, OP_STATUSES } from "@courier/agent";
import type { Hono } from "hono";
import { resolveCrankState } from "../crank-state.js";
import { getUtcDay } from "../iso-time.js";
import type { AdminMetrics } from "../metrics/create-admin-metrics.js";
import { getRpcHealth } from "../rpc-health.js";
import { type AdminDeps, CRANK_STATES } from "../types.js";

export function registerMetricsRoute(app: Hono, deps: AdminDeps, metrics: AdminMetrics): void {
  app.get("/metrics", async (c) => {
    await refreshScrapeGauges(deps, metrics);
    const text = await metrics.registry.metrics();
    return c.body(text, 200, { "Content-Type": metrics.registry.contentType });
  });
}

export async function refreshScrapeGauges(deps: AdminDeps, metrics: AdminMetrics): Promise<void> {
  const g = metrics.gauges;
  const now = deps.clock.now();
  try {
    const [stats, spend, outbox, nextDue] = await Promise.all([
      deps.store.stats({ ticks: 1, now }),
      deps.store.spendToday({ day: getUtcDay(now) }),
      deps.store.outboxSummary(),
      deps.store.nextDueAt(),
    ]);
    g.webhookBacklog.set(outbox.pending);
    g.webhookOldestPendingAge.set(outbox.oldest_pending_at === null ? 0 : Math.max(0, now - outbox.oldest_pending_at) / 1000);
    g.oldestOverdueOpAge.set(nextDue === null ? 0 : Math.max(0, now - nextDue) / 1000);
    for (const status of OP_STATUSES) g.opsByStatus.set({ status }, stats.ops_by_status[status] ?? 0);
    const state = resolveCrankState(stats.control, deps.crankState?.());
    for (const s of CRANK_STATES) g.crankState.set({ state: s }, s === state ? 1 : 0);
    g.spendToday.set(spend);
    g.storeUp.set(1);
  } catch (e) {
    deps.logger?.warn({ err: coerceError(e).toJSON() }, "admin.metrics.store_failed");
    g.storeUp.set(0);
  }
  metrics.setSpendCapPerDay(typeof deps.spendCapPerDay === "number" ? deps.spendCapPerDay : null);

  if (deps.sendWindow) {
    const w = deps.sendWindow();
    g.rpcSendWindow.set(w.size);
    g.rpcSendWindowOpen.set(w.open);
  }

  // endpoints may come and go with config reloads: rebuild the series rather than keep stale ones
  g.rpcEndpointUp.reset();
  g.rpcCircuitState.reset();
  g.rpcLatency.reset();
  g.rpcRateLimit.reset();
  for (const h of getRpcHealth(deps)) {
    g.rpcEndpointUp.set({ endpoint: h.endpoint }, h.healthy ? 1 : 0);
    for (const state of ["closed", "open", "half_open"] as const) {
      g.rpcCircuitState.set({ endpoint: h.endpoint, state }, h.circuit === state ? 1 : 0);
    }
    if (typeof h.latency_ms === "number") g.rpcLatency.set({ endpoint: h.endpoint }, h.latency_ms / 1000);
    if (h.rate_limit) {
      g.rpcRateLimit.set({ endpoint: h.endpoint, method: "*" }, h.rate_limit.rps);
      for (const [method, rps] of Object.entries(h.rate_limit.methods)) g.rpcRateLimit.set({ endpoint: h.endpoint, method }, rps);
    }
  }
}
