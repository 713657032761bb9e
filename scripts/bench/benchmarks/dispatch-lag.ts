/**
 * 2. Dispatch lag: how long an op due "now" waits before the crank starts it, at steady arrival
 * rates. A producer in the crank's own process inserts ops due at once, every 5 ms as many as
 * the rate calls for (one transaction per step on its own connection, so the producer's cost
 * stays small next to the crank's), then wakes the crank as scheduling in-process does. The
 * no-op executor records, per op, the time from the op's creation due "now" (its next_exec) to
 * the start of its execution (claim + dispatch). Times are monotonic (performance.now), so
 * sub-millisecond lags are visible.
 */
import { createCrank, newOpId, systemClock } from "../lib/courier.js";
import { prepareOpInsert } from "../lib/ops.js";
import { getDistribution, getMedian } from "../lib/percentiles.js";
import type { Benchmark, Metric } from "../lib/result.js";
import { round } from "../lib/result.js";
import { createTempStore } from "../lib/temp-store.js";
import { getMonotonicMs, sleepMs, waitFor } from "../lib/timing.js";
import { createSilentLogger, openRawDatabase } from "../lib/workspace-deps.js";

const CONCURRENCY = 16;
const BATCH = 64;
/** The producer's pacing step: it catches up to rate × elapsed every tick. */
const PRODUCER_STEP_MS = 5;
/** How long the crank may take to start the ops left when the producer stops. */
const DRAIN_LIMIT_MS = 20_000;

interface RateResult {
  rate: number;
  produced: number;
  executed: number;
  achieved_per_s: number;
  lag: ReturnType<typeof getDistribution>;
  /** Median lag of the first and last tenth of the ops (in execution order): growth = backlog. */
  early_p50: number;
  late_p50: number;
}

async function measureRate(rate: number, durationMs: number, drainLimitMs: number): Promise<RateResult> {
  const temp = await createTempStore(`lag-${rate}`);
  const dueAt = new Map<string, number>();
  const lags: number[] = [];
  const startedIds: string[] = [];
  const crank = createCrank({
    store: temp.store,
    executor: {
      async execute(op) {
        const t = dueAt.get(op.id);
        if (t !== undefined) {
          lags.push(getMonotonicMs() - t);
          startedIds.push(op.id);
        }
        // Yield to the event loop once, as any executor doing I/O does. Without it the crank
        // chains microtasks only while due work remains and the producer's timer never runs.
        await new Promise((resolve) => setImmediate(resolve));
        return { outcome: "ok" };
      },
    },
    clock: systemClock,
    logger: createSilentLogger(),
    instanceId: "bench-lag",
    concurrency: CONCURRENCY,
    batchSize: BATCH,
    leaseMs: 60_000,
  });
  const producerDb = openRawDatabase(temp.path);
  const insert = prepareOpInsert(producerDb);
  const insertStep = producerDb.transaction((ids: string[], now: number) => {
    for (const id of ids) insert(id, now, now);
  });
  const loop = crank.start();
  try {
    let produced = 0;
    const t0 = getMonotonicMs();
    for (;;) {
      const elapsed = getMonotonicMs() - t0;
      if (elapsed >= durationMs) break;
      const target = Math.floor((rate * elapsed) / 1_000);
      if (target > produced) {
        const now = Date.now();
        const ids = Array.from({ length: target - produced }, () => newOpId(now));
        insertStep(ids, now);
        const createdAt = getMonotonicMs();
        for (const id of ids) dueAt.set(id, createdAt);
        produced = target;
        crank.wake();
      }
      await sleepMs(PRODUCER_STEP_MS);
    }
    const producedMs = getMonotonicMs() - t0;
    const drained = await waitFor(() => lags.length >= produced, { timeoutMs: drainLimitMs, intervalMs: 10 });
    const executed = lags.length;
    if (!drained) {
      // The crank fell behind the arrival rate: an op still waiting counts with the time it has
      // waited so far (a lower bound), so the percentiles are not flattered by leaving it out.
      const now = getMonotonicMs();
      const started = new Set(startedIds);
      for (const [id, t] of dueAt) if (!started.has(id)) lags.push(now - t);
    }
    const tenth = Math.max(1, Math.floor(lags.length / 10));
    return {
      rate,
      produced,
      executed,
      achieved_per_s: (produced / producedMs) * 1_000,
      lag: getDistribution(lags),
      early_p50: getMedian(lags.slice(0, tenth)),
      late_p50: getMedian(lags.slice(-tenth)),
    };
  } finally {
    await crank.stop();
    await loop;
    producerDb.close();
    await temp.dispose();
  }
}

export const dispatchLag: Benchmark = {
  name: "dispatch-lag",
  title: "Dispatch lag (next_exec → execution start) at steady arrival rates",
  async run({ smoke, progress }) {
    const rates = [100, 1_000, 5_000];
    const durationMs = smoke ? 300 : 3_000;
    const drainLimitMs = smoke ? 2_000 : DRAIN_LIMIT_MS;
    const results: RateResult[] = [];
    for (const rate of rates) {
      const r = await measureRate(rate, durationMs, drainLimitMs);
      results.push(r);
      progress(`dispatch-lag ${rate}/s: p50 ${r.lag.p50.toFixed(2)} ms, p99 ${r.lag.p99.toFixed(2)} ms (${r.produced} ops, ${Math.round(r.achieved_per_s)}/s produced)`);
    }
    const metrics: Metric[] = results.flatMap((r) => [
      { name: `lag_p50_ms_${r.rate}`, value: round(r.lag.p50, 3), unit: "ms", label: `p50 lag at ${r.rate.toLocaleString("en-US")} ops/s` },
      { name: `lag_p99_ms_${r.rate}`, value: round(r.lag.p99, 3), unit: "ms", label: `p99 lag at ${r.rate.toLocaleString("en-US")} ops/s` },
    ]);
    return {
      metrics,
      details: {
        duration_ms: durationMs,
        concurrency: CONCURRENCY,
        batch_size: BATCH,
        rates: results.map((r) => ({
          rate: r.rate,
          produced: r.produced,
          achieved_per_s: Math.round(r.achieved_per_s),
          not_started_within_drain_limit: r.produced - r.executed,
          p50_ms: round(r.lag.p50, 3),
          p90_ms: round(r.lag.p90, 3),
          p99_ms: round(r.lag.p99, 3),
          max_ms: round(r.lag.max, 3),
          first_tenth_p50_ms: round(r.early_p50, 3),
          last_tenth_p50_ms: round(r.late_p50, 3),
          // Still starting ops within 100 ms at the end of the window: the crank kept pace.
          kept_up: r.late_p50 < 100,
        })),
      },
      notes: [
        `Producer and crank share one process (ops inserted in one transaction per 5 ms step on the producer's own connection, then wake()); crank concurrency ${CONCURRENCY}, batch ${BATCH} (the defaults); ${durationMs / 1_000} s per rate on a fresh store.`,
        "Lag runs from the op's creation due at once to the executor's first line, so it includes the claim transaction and the dispatch through p-limit.",
        "The no-op executor yields to the event loop once (setImmediate) before returning ok, as an executor doing I/O would.",
        `If the crank falls behind, ops not started ${drainLimitMs / 1_000} s after the producer stops count with the time they had waited (a lower bound); see details.rates[].kept_up.`,
      ],
    };
  },
};
