import type { TickSummary } from "@courier/agent";
import type { Db } from "./db.js";

/** Tick summaries kept; older ones are pruned now and then so the table stays small. */
export const TICKS_KEPT = 10_000;
const PRUNE_EVERY = 500;

export function createRecordTick(db: Db): (tick: TickSummary) => void {
  const insert = db.prepare(`
    INSERT INTO ticks (id, instance, started_at, duration_ms, claimed, succeeded, failed, retried, skipped_in_flight)
    VALUES (@id, @instance, @started_at, @duration_ms, @claimed, @succeeded, @failed, @retried, @skipped_in_flight)`);
  const prune = db.prepare<[number]>(`
    DELETE FROM ticks WHERE started_at < (SELECT started_at FROM ticks ORDER BY started_at DESC LIMIT 1 OFFSET ?)`);
  let sincePrune = 0;
  return (t) => {
    insert.run({ ...t, duration_ms: Math.max(0, Math.round(t.duration_ms)) });
    if (++sincePrune >= PRUNE_EVERY) {
      sincePrune = 0;
      prune.run(TICKS_KEPT - 1);
    }
  };
}
