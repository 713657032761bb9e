import type { Store } from "@courier/agent";
import type { Db } from "../db/db.js";

/** Instance heartbeats: one row per crank process, upserted; `ticked` also stamps last_tick_at. */
export function createInstanceVerbs(db: Db): Pick<Store, "heartbeat" | "removeInstance"> {
  return {
    heartbeat: async (a) => {
      await db.pool.query(
        `INSERT INTO instances (id, started_at, last_tick_at, last_seen_at, in_flight)
         VALUES ($1, $2, CASE WHEN $3::boolean THEN $4::bigint END, $4, $5)
         ON CONFLICT (id) DO UPDATE SET
           started_at = excluded.started_at,
           last_tick_at = COALESCE(excluded.last_tick_at, instances.last_tick_at),
           last_seen_at = excluded.last_seen_at,
           in_flight = excluded.in_flight`,
        [a.instance, a.started_at, a.ticked, a.now, a.in_flight],
      );
    },
    removeInstance: async (id) => {
      await db.pool.query("DELETE FROM instances WHERE id = $1", [id]);
    },
  };
}
