/**
 * The one alert of a recurring op whose runs fail while it goes on (on_failure "continue").
 * Keyed by op: the store's compare-and-set on the alert row makes the first failed run raise
 * it and every later one (on any instance) a no-op, so a failing schedule alerts once, not once
 * per run. It stays firing: the runs' history says which ones failed.
 */
import type { Logger } from "pino";
import { coerceError } from "../errors.js";
import type { Op, Store } from "../types.js";
import { alertEventId } from "../webhooks/events.js";

export function getRunFailedAlertKey(opId: string): string {
  return `op_run_failed:${opId}`;
}

export interface RunFailedAlertArgs {
  store: Pick<Store, "transitionAlert">;
  logger: Logger;
  op: Op;
  run: number;
  error: string | null;
  now: number;
}

/** Never throws: the run's outcome is already recorded; a lost alert is logged. */
export async function raiseRunFailedAlert(a: RunFailedAlertArgs): Promise<void> {
  const key = getRunFailedAlertKey(a.op.id);
  const summary = `recurring op ${a.op.id} (${a.op.action}): run ${a.run} failed, the schedule goes on`;
  const data = { op_id: a.op.id, action: a.op.action, run: a.run, error: a.error };
  try {
    const changed = await a.store.transitionAlert({
      key,
      state: "firing",
      now: a.now,
      data: { summary, ...data },
      event: {
        event_id: alertEventId(key, a.now, "firing"),
        type: "alert.firing",
        payload: { key, state: "firing", since: new Date(a.now).toISOString(), summary, data },
      },
    });
    if (changed) a.logger.warn({ key, summary, ...data }, "alert.firing");
  } catch (e) {
    a.logger.warn({ key, err: coerceError(e).toJSON() }, "alert.raise_failed");
  }
}
