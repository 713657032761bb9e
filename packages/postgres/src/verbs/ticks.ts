import type { TickSummary } from "@courier/agent";
import type { Db } from "../db/db.js";
import { foldCounters } from "./fold-counters.js";

/** Tick summaries kept; older ones are pruned now and then so the table stays small. */
export const TICKS_KEPT = 10_000;
/** Every this many ticks recorded by this process: prune ticks and fold the count deltas. */
const HOUSEKEEP_EVERY = 200;

export function createRecordTick(db: Db): (tick: TickSummary) => Promise<void> {
  let sinceHousekeeping = 0;
  return async (t) => {
    await db.pool.query(
      `INSERT INTO ticks (id, instance, started_at, duration_ms, claimed, succeeded, failed, retried, skipped_in_flight)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [t.id, t.instance, t.started_at, Math.max(0, Math.round(t.duration_ms)), t.claimed, t.succeeded, t.failed, t.retried, t.skipped_in_flight],
    );
    if (++sinceHousekeeping >= HOUSEKEEP_EVERY) {
      sinceHousekeeping = 0;
      await db.pool.query("DELETE FROM ticks WHERE started_at < (SELECT started_at FROM ticks ORDER BY started_at DESC LIMIT 1 OFFSET $1)", [TICKS_KEPT - 1]);
      await foldCounters(db);
    }
  };
}
