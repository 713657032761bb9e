/**
 * Tick recording. A tick counts the ops it claimed, the ones it skipped as already in flight,
 * and the attempts that ended since the previous tick (attempts outlive the tick that claimed
 * them). Busy iterations are recorded (store + `tick` event) at most once per tickRecordMs: a
 * recorded tick may aggregate several loop iterations (started_at: the first one's start;
 * duration_ms: the sum of their durations; the counts: their sums, so totals stay exact). An
 * idle tick is recorded only once per idleTickRecordMs, so an idle crank does not flood the
 * table or the log.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { Clock, Store, TickSummary } from "../types.js";

export type EndedTally = "succeeded" | "failed" | "retried";

export interface TickRecorder {
  /** An attempt ended with this tally (counted into the next tick). */
  countEnded(tally: EndedTally): void;
  /** Build this iteration's summary (taking the attempts ended since the last one) and record it when due. */
  record(args: { started: number; claimed: number; skipped: number; flush: boolean }): Promise<TickSummary>;
  /** Something is counted and not recorded yet. */
  hasPending(): boolean;
  /** Record what is pending now (going quiet, stopping). */
  flush(): Promise<void>;
}

export function createTickRecorder(deps: {
  store: Pick<Store, "recordTick">;
  clock: Clock;
  log: Logger;
  instanceId: string;
  tickRecordMs: number;
  idleTickRecordMs: number;
  onTick: (t: TickSummary) => void;
}): TickRecorder {
  const { store, clock, log, instanceId } = deps;
  let ended = { succeeded: 0, failed: 0, retried: 0 };
  let lastRecordedAt = Number.NEGATIVE_INFINITY;
  /** Busy iterations not recorded yet (aggregated into one tick). */
  let pending: TickSummary | null = null;

  const endedCount = () => ended.succeeded + ended.failed + ended.retried;

  function addToPending(s: TickSummary): void {
    const p = pending;
    if (!p) {
      pending = { ...s };
      return;
    }
    p.duration_ms += s.duration_ms;
    p.claimed += s.claimed;
    p.succeeded += s.succeeded;
    p.failed += s.failed;
    p.retried += s.retried;
    p.skipped_in_flight += s.skipped_in_flight;
  }

  async function write(t: TickSummary): Promise<void> {
    await store.recordTick(t);
    log.info({ tick: t }, "tick");
    deps.onTick(t);
  }

  async function flush(): Promise<void> {
    if (endedCount() > 0) {
      addToPending({ id: randomUUID(), instance: instanceId, started_at: clock.now(), duration_ms: 0, claimed: 0, ...ended, skipped_in_flight: 0 });
      ended = { succeeded: 0, failed: 0, retried: 0 };
    }
    const p = pending;
    if (!p) return;
    pending = null;
    lastRecordedAt = clock.now();
    await write(p);
  }

  return {
    countEnded(tally) {
      ended[tally]++;
    },
    hasPending: () => pending !== null || endedCount() > 0,
    flush,
    async record({ started, claimed, skipped, flush: force }) {
      const counts = ended;
      ended = { succeeded: 0, failed: 0, retried: 0 };
      const summary: TickSummary = {
        id: randomUUID(),
        instance: instanceId,
        started_at: started,
        duration_ms: Math.max(0, clock.now() - started),
        claimed,
        ...counts,
        skipped_in_flight: skipped,
      };
      const busy = claimed + skipped + counts.succeeded + counts.failed + counts.retried > 0;
      if (busy) addToPending(summary);
      if (busy || pending) {
        if (force || started - lastRecordedAt >= deps.tickRecordMs) await flush();
      } else if (started - lastRecordedAt >= deps.idleTickRecordMs) {
        lastRecordedAt = started;
        await write(summary);
      }
      return summary;
    },
  };
}
