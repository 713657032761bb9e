/**
 * The one alert of a recurring op whose runs fail while it goes on (on_failure "continue").
 * Keyed by op: the store's compare-and-set on the alert row makes the first failed run raise
 * it and every later one (on any instance) a no-op, so a failing schedule alerts once, not once
 * per run; the runs' history says which ones failed.
 *
 * The alert monitor resolves it (`getRunFailedResolution`) once a later run has succeeded and
 * the op's latest run did not fail (its `exec_count` passed the one recorded when the alert
 * fired, and `last_error` is clear), or once the op has ended or is gone. A run failing after
 * that raises a new incident.
 */
import type { Logger } from "pino";
import { coerceError } from "../errors.js";
import { type AlertRecord, type Op, type Store, TERMINAL_STATUSES } from "../types.js";
import { alertEventId } from "../webhooks/events.js";

const KEY_PREFIX = "op_run_failed:";

export function getRunFailedAlertKey(opId: string): string {
  return `${KEY_PREFIX}${opId}`;
}

/** The op id of a run-failed alert's key, or null for any other alert. */
export function getRunFailedAlertOpId(key: string): string | null {
  return key.startsWith(KEY_PREFIX) ? key.slice(KEY_PREFIX.length) : null;
}

/**
 * Why a firing run-failed alert is over, or null while it is not: the op is gone, it has ended,
 * or a run succeeded after the failure and the latest one did not fail. An alert raised before
 * `exec_count` was recorded resolves only when its op ends or is gone.
 */
export function getRunFailedResolution(alert: Pick<AlertRecord, "data">, op: Pick<Op, "status" | "exec_count" | "last_error"> | null): string | null {
  if (op === null) return "the op is gone";
  if (TERMINAL_STATUSES.includes(op.status)) return `the op ended ${op.status}`;
  const firedAt = alert.data.exec_count;
  if (typeof firedAt === "number" && op.exec_count > firedAt && op.last_error === null) return "a later run succeeded";
  return null;
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
  // exec_count: runs that had succeeded when this one failed (the monitor resolves on a later success).
  const data = { op_id: a.op.id, action: a.op.action, run: a.run, error: a.error, exec_count: a.op.exec_count };
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
