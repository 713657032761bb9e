/**
 * GET /admin/api/courier/stats: the store's view (right with several crank processes) plus
 * what only this process knows: its crank state, its RPC pool's health and send window, the spend cap, the
 * retention window (with the oldest op the store still keeps).
 */
import type { Hono } from "hono";
import { controlToJSON, resolveCrankState } from "../crank-state.js";
import { parseQuery } from "../http/parse-query.js";
import { getUtcDay, toIsoOrNull } from "../iso-time.js";
import { getRpcHealth, rpcHealthToJSON } from "../rpc-health.js";
import { createStatsQuerySchema, DEFAULT_STATS_TICKS } from "../schemas.js";
import type { AdminDeps } from "../types.js";

export const DEFAULT_MAX_STATS_TICKS = 500;

export function registerStatsRoute(app: Hono, deps: AdminDeps): void {
  const maxTicks = Math.max(1, Math.floor(deps.maxStatsTicks ?? DEFAULT_MAX_STATS_TICKS));
  const querySchema = createStatsQuerySchema(maxTicks);

  app.get("/admin/api/courier/stats", async (c) => {
    const query = parseQuery(c, querySchema);
    const now = deps.clock.now();
    const ticks = Math.min(query.ticks ?? DEFAULT_STATS_TICKS, maxTicks);
    const [stats, lamportsToday, oldestOpAt] = await Promise.all([
      deps.store.stats({ ticks, now }),
      deps.store.spendToday({ day: getUtcDay(now) }),
      deps.store.oldestOpAt(),
    ]);
    return c.json({
      state: resolveCrankState(stats.control, deps.crankState?.()),
      ...stats,
      control: controlToJSON(stats.control),
      rpc: rpcHealthToJSON(getRpcHealth(deps)),
      send_window: deps.sendWindow?.() ?? null,
      spend: { lamports_today: lamportsToday, cap_per_day: deps.spendCapPerDay ?? null },
      // days 0: everything is kept; null: this process does not know (not configured here).
      retention: { days: deps.retentionDays ?? null, oldest_op_at: toIsoOrNull(oldestOpAt) },
      served_by: deps.instanceId,
      generated_at: toIsoOrNull(now),
    });
  });
}
