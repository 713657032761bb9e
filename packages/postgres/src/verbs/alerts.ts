import { type AlertRow, rowToAlert, type Store, type TransitionAlertArgs } from "@courier/agent";
import type { Db, Queryable } from "../db/db.js";
import { enqueueOutboxItem } from "./outbox.js";

/**
 * One row per alert condition. The transition is a compare-and-set (the upsert only changes a row
 * whose state differs, under its row lock), so when several instances see the same incident only
 * one of them moves the alert and enqueues its webhook, in the same transaction. An alert never
 * seen counts as resolved: resolving it changes nothing.
 */
/**
 * `ifOpRecovered`: the op still has that exec_count and no last_error. FOR SHARE holds the op row
 * until the transition commits, so a run finishing meanwhile (an UPDATE of that row) waits for
 * it, or, having committed first, is what this read sees.
 */
async function opRecovered(q: Queryable, a: TransitionAlertArgs): Promise<boolean> {
  if (!a.ifOpRecovered) return true;
  const { rowCount } = await q.query("SELECT 1 FROM ops WHERE id = $1 AND exec_count = $2 AND last_error IS NULL FOR SHARE", [
    a.ifOpRecovered.op_id,
    a.ifOpRecovered.exec_count,
  ]);
  return rowCount === 1;
}

export function createAlertVerbs(db: Db): Pick<Store, "getAlerts" | "transitionAlert"> {
  return {
    getAlerts: async () => {
      const { rows } = await db.pool.query<AlertRow>("SELECT key, state, since, updated_at, data FROM alerts ORDER BY key");
      return rows.map(rowToAlert);
    },
    transitionAlert: (a) =>
      db.tx(async (q) => {
        const data = JSON.stringify(a.data ?? {});
        // Each branch is one statement whose WHERE re-checks the state under the row lock.
        const res =
          a.state === "firing"
            ? await q.query(
                `INSERT INTO alerts (key, state, since, updated_at, data) VALUES ($1, 'firing', $2, $2, $3)
                 ON CONFLICT (key) DO UPDATE SET state = 'firing', since = excluded.since, updated_at = excluded.updated_at, data = excluded.data
                   WHERE alerts.state <> 'firing'`,
                [a.key, a.now, data],
              )
            : (await opRecovered(q, a))
              ? await q.query("UPDATE alerts SET state = 'resolved', since = $2, updated_at = $2, data = $3 WHERE key = $1 AND state <> 'resolved'", [
                  a.key,
                  a.now,
                  data,
                ])
              : { rowCount: 0 };
        if (res.rowCount !== 1) return false;
        if (a.event) await enqueueOutboxItem(q, { ...a.event, now: a.now });
        return true;
      }),
  };
}
