/** Everything the overview shows, read in one go (each read is an index lookup or a running total). */
import type { AlertRecord, Op, StoreStats } from "@courier/agent";
import { resolveCrankState } from "../crank-state.js";
import { getUtcDay } from "../iso-time.js";
import { getReadiness, type Readiness } from "../readiness.js";
import { getRpcHealth } from "../rpc-health.js";
import type { AdminDeps, CrankState, RpcEndpointHealth } from "../types.js";
import type { OutcomeBucket } from "./chart.js";
import { createOutcomeBuckets } from "./outcome-buckets.js";
import { listUpcomingRuns, type UpcomingRun } from "./upcoming-runs.js";

export interface OverviewData {
  now: number;
  state: CrankState;
  readiness: Readiness;
  stats: StoreStats;
  rpc: RpcEndpointHealth[];
  spend: { today: number; cap: number | null };
  alerts: AlertRecord[];
  upcoming: UpcomingRun[];
  lastHour: OutcomeBucket[];
  lastDay: OutcomeBucket[];
}

export type OverviewLoader = () => Promise<OverviewData>;

export function createOverviewLoader(deps: AdminDeps): OverviewLoader {
  const count = (args: { since: number; until: number; bucket_ms: number }) => deps.store.countAttemptOutcomes(args);
  const lastHour = createOutcomeBuckets({ bucketMs: 5 * 60_000, buckets: 12, count });
  const lastDay = createOutcomeBuckets({ bucketMs: 3_600_000, buckets: 24, count });

  return async () => {
    const now = deps.clock.now();
    const [stats, today, alerts, readiness, upcoming, hour, day] = await Promise.all([
      deps.store.stats({ ticks: 1, now }),
      deps.store.spendToday({ day: getUtcDay(now) }),
      deps.store.getAlerts(),
      getReadiness(deps),
      listUpcomingRuns(deps, { from: now, until: now + 86_400_000, limit: 10 }),
      lastHour(now),
      lastDay(now),
    ]);
    return {
      now,
      state: resolveCrankState(stats.control, deps.crankState?.()),
      readiness,
      stats,
      rpc: getRpcHealth(deps),
      spend: { today, cap: deps.spendCapPerDay ?? null },
      alerts: alerts.filter((a) => a.state === "firing"),
      upcoming,
      lastHour: hour,
      lastDay: day,
    };
  };
}

export type { Op };
