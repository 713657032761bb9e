import type { SyncVerbs } from "@courier/agent";
import type { Db } from "./db.js";

/** Instance heartbeats: one row per crank process, upserted; `ticked` also stamps last_tick_at. */
export function createInstanceVerbs(db: Db): SyncVerbs<"heartbeat" | "removeInstance"> {
  const upsert = db.prepare(`
    INSERT INTO instances (id, started_at, last_tick_at, last_seen_at, in_flight)
    VALUES (@instance, @started_at, CASE WHEN @ticked THEN @now END, @now, @in_flight)
    ON CONFLICT (id) DO UPDATE SET
      started_at = excluded.started_at,
      last_tick_at = COALESCE(excluded.last_tick_at, instances.last_tick_at),
      last_seen_at = excluded.last_seen_at,
      in_flight = excluded.in_flight`);
  const remove = db.prepare<[string]>("DELETE FROM instances WHERE id = ?");
  return {
    heartbeat: (a) => {
      upsert.run({ instance: a.instance, started_at: a.started_at, now: a.now, in_flight: a.in_flight, ticked: a.ticked ? 1 : 0 });
    },
    removeInstance: (id) => {
      remove.run(id);
    },
  };
}
