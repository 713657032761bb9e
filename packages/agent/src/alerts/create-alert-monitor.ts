/**
 * The alert monitor: every `intervalMs` it evaluates each check and moves the check's alert to
 * `firing` or `resolved` through `store.transitionAlert`, a compare-and-set that enqueues the
 * webhook event in the same transaction. Several monitors (one per crank process) may run on one
 * store: whichever sees an incident first wins the CAS, the others find the state already set,
 * so one incident gives exactly one `alert.firing` and one `alert.resolved` event.
 *
 * Event payload (`data` of the webhook body, see webhooks/events.ts):
 *   firing:   { key, state: "firing", since, summary, data }
 *   resolved: { key, state: "resolved", since (when it fired), resolved_at, duration_ms, summary, data }
 * Event ids are per incident: `alertEventId(key, since, state)` with `since` = when it fired.
 *
 * Besides its checks, each evaluation resolves the per-op alerts the crank raises for a
 * recurring op whose runs fail (`op_run_failed:<id>`, crank/run-failed-alert.ts) once they are
 * over: one read of the op per firing alert, and a resolution on a later success is re-checked
 * by the store in the transition's transaction (`ifOpRecovered`).
 */
import type { Logger } from "pino";
import { CourierError, coerceError } from "../errors.js";
import { getRunFailedAlertOpId, getRunFailedResolution } from "../crank/run-failed-alert.js";
import { type AlertRecord, type Clock, type Store, TERMINAL_STATUSES } from "../types.js";
import { alertEventId } from "../webhooks/events.js";
import type { AlertCheck } from "./checks.js";

export interface AlertMonitorOptions {
  store: Pick<Store, "getAlerts" | "transitionAlert" | "getOp">;
  clock: Clock;
  logger: Logger;
  checks: readonly AlertCheck[];
  /** Evaluation period (default 15 s). */
  intervalMs?: number;
}

export interface AlertTransition {
  key: string;
  state: "firing" | "resolved";
  event_id: string;
}

export interface AlertMonitor {
  start(): void;
  stop(): Promise<void>;
  /** One evaluation of every check; returns the transitions this monitor made. */
  evaluate(): Promise<AlertTransition[]>;
}

const ISO = (ms: number) => new Date(ms).toISOString();

export function createAlertMonitor(opts: AlertMonitorOptions): AlertMonitor {
  const intervalMs = opts.intervalMs ?? 15_000;
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) {
    throw new CourierError("COURIER__CONFIG", "alert monitor: intervalMs must be a positive number", { field: "intervalMs" });
  }
  const keys = new Set<string>();
  for (const c of opts.checks) {
    if (keys.has(c.key)) throw new CourierError("COURIER__CONFIG", `alert monitor: duplicate check key ${c.key}`, { field: "checks", key: c.key });
    keys.add(c.key);
  }
  const { store, clock } = opts;
  const log = opts.logger.child({ component: "alerts" });
  /** Keys whose last evaluation failed: one warning on entering, one line on leaving. */
  const failing = new Set<string>();
  const stopCtl = new AbortController();
  let running = false;
  let loopDone: Promise<void> = Promise.resolve();

  async function evaluateCheck(check: AlertCheck, current: AlertRecord | undefined, now: number): Promise<AlertTransition | null> {
    let cond: Awaited<ReturnType<AlertCheck["evaluate"]>>;
    try {
      cond = await check.evaluate(now);
      if (failing.delete(check.key)) log.info({ key: check.key }, "alert.check_recovered");
    } catch (e) {
      const err = coerceError(e);
      if (!failing.has(check.key)) log.warn({ key: check.key, code: err.code, err: err.message }, "alert.check_failed");
      failing.add(check.key);
      return null;
    }
    if (cond === null) return null;
    const state = cond.firing ? "firing" : "resolved";
    // Cheap skip of the write when nothing changes; the CAS below is what makes it correct.
    if ((current?.state ?? "resolved") === state) return null;
    let event_id: string;
    let payload: Record<string, unknown>;
    if (state === "firing") {
      event_id = alertEventId(check.key, now, "firing");
      payload = { key: check.key, state, since: ISO(now), summary: cond.summary, data: cond.data };
    } else {
      const since = current?.since ?? now;
      event_id = alertEventId(check.key, since, "resolved");
      payload = { key: check.key, state, since: ISO(since), resolved_at: ISO(now), duration_ms: now - since, summary: cond.summary, data: cond.data };
    }
    const changed = await store.transitionAlert({
      key: check.key,
      state,
      now,
      data: { summary: cond.summary, ...cond.data },
      event: { event_id, type: `alert.${state}`, payload },
    });
    if (!changed) return null;
    log[state === "firing" ? "warn" : "info"]({ key: check.key, event_id, summary: cond.summary }, `alert.${state}`);
    return { key: check.key, state, event_id };
  }

  /** Resolve a firing run-failed alert whose op has recovered, ended or gone. */
  async function resolveRunFailed(alert: AlertRecord, opId: string, now: number): Promise<AlertTransition | null> {
    const op = await store.getOp(opId);
    const reason = getRunFailedResolution(alert, op);
    if (reason === null) return null;
    // A later success is re-checked in the transition's own transaction: a run failing since the
    // read keeps the alert firing (an ended or deleted op stays so, nothing to re-check).
    const ifOpRecovered = op !== null && !TERMINAL_STATUSES.includes(op.status) ? { op_id: opId, exec_count: op.exec_count } : undefined;
    const summary = `recurring op ${opId}: ${reason}`;
    const event_id = alertEventId(alert.key, alert.since, "resolved");
    const data = { ...alert.data, summary };
    const payload = { key: alert.key, state: "resolved", since: ISO(alert.since), resolved_at: ISO(now), duration_ms: now - alert.since, summary, data };
    const changed = await store.transitionAlert({ key: alert.key, state: "resolved", now, data, event: { event_id, type: "alert.resolved", payload }, ifOpRecovered });
    if (!changed) return null;
    log.info({ key: alert.key, event_id, summary }, "alert.resolved");
    return { key: alert.key, state: "resolved", event_id };
  }

  async function evaluate(): Promise<AlertTransition[]> {
    const now = clock.now();
    const alerts = await store.getAlerts();
    const current = new Map(alerts.map((a) => [a.key, a]));
    const out: AlertTransition[] = [];
    // Sequential: a handful of checks, and their inputs (RPC, store) should not be hit in bursts.
    for (const check of opts.checks) {
      const t = await evaluateCheck(check, current.get(check.key), now);
      if (t) out.push(t);
    }
    for (const alert of alerts) {
      const opId = alert.state === "firing" ? getRunFailedAlertOpId(alert.key) : null;
      if (opId === null) continue;
      const t = await resolveRunFailed(alert, opId, now);
      if (t) out.push(t);
    }
    return out;
  }

  async function loop(): Promise<void> {
    let storeFailing = false;
    while (running) {
      try {
        await evaluate();
        if (storeFailing) log.info("alert.store_recovered");
        storeFailing = false;
      } catch (e) {
        const err = coerceError(e);
        if (!storeFailing) log.warn({ code: err.code, err: err.message }, "alert.store_failed");
        storeFailing = true;
      }
      if (!running) break;
      await clock.sleep(intervalMs, stopCtl.signal);
    }
  }

  return {
    start() {
      if (running || stopCtl.signal.aborted) throw new CourierError("COURIER__CONFLICT", "alert monitor already started", {});
      running = true;
      loopDone = loop();
    },
    async stop() {
      running = false;
      stopCtl.abort();
      await loopDone;
    },
    evaluate,
  };
}
