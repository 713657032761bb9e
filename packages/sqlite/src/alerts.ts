import { type AlertRow, rowToAlert, type SyncVerbs, type TransitionAlertArgs } from "@courier/agent";
import type { Db } from "./db.js";
import { createEnqueueOutbox } from "./outbox.js";

/**
 * Alert state, one row per condition key. The transition is a compare-and-set inside one
 * IMMEDIATE transaction together with its outbox event: of several monitors (processes) seeing
 * the same incident, exactly one changes the state and enqueues the notification. A key that
 * never fired has nothing to resolve, so resolving it writes nothing. `ifOpRecovered` is checked
 * in the same transaction, so no op write can land between the check and the change.
 */
export function createAlertVerbs(db: Db): SyncVerbs<"getAlerts" | "transitionAlert"> {
  const all = db.prepare<[], AlertRow>("SELECT * FROM alerts ORDER BY key");
  const current = db.prepare<[string], { state: string }>("SELECT state FROM alerts WHERE key = ?");
  const upsert = db.prepare<[string, string, number, number, string]>(`
    INSERT INTO alerts (key, state, since, updated_at, data) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET state = excluded.state, since = excluded.since, updated_at = excluded.updated_at, data = excluded.data`);
  const recovered = db.prepare<[string, number], { one: 1 }>("SELECT 1 AS one FROM ops WHERE id = ? AND exec_count = ? AND last_error IS NULL");
  const enqueue = createEnqueueOutbox(db);
  const transition = db.transaction((a: TransitionAlertArgs): boolean => {
    const state = current.get(a.key)?.state;
    if (state === a.state || (state === undefined && a.state === "resolved")) return false;
    if (a.state === "resolved" && a.ifOpRecovered && recovered.get(a.ifOpRecovered.op_id, a.ifOpRecovered.exec_count) === undefined) return false;
    upsert.run(a.key, a.state, a.now, a.now, JSON.stringify(a.data ?? {}));
    if (a.event) enqueue({ ...a.event, now: a.now });
    return true;
  });
  return {
    getAlerts: () => all.all().map(rowToAlert),
    transitionAlert: (a) => transition.immediate(a),
  };
}
