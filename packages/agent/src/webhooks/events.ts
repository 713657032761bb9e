/**
 * Webhook events and their outbox entries.
 *
 * Wire body of every delivery (JSON, as Standard Webhooks recommends):
 *   { "type": "<event type>", "timestamp": "<ISO-8601 of when the event was recorded>", "data": <payload> }
 * The `webhook-id` header is the event id; receivers dedupe by it (delivery is at-least-once).
 *
 * Payloads (`data`):
 * - op.succeeded / op.failed / op.dead:
 *   { op_id, action, run, status, attempts, outcome, error: {code, message} | null,
 *     signature: string | null, at: ISO-8601 }
 *   `op.succeeded` is sent for every run that ended ok (a recurring op sends one per run; `status`
 *   is then `pending`); `op.failed` / `op.dead` when the op reaches that terminal status.
 * - alert.firing / alert.resolved:
 *   { key, state, since: ISO-8601, summary, data }  (see alerts/create-alert-monitor.ts)
 */
import { coerceError, type CourierError } from "../errors.js";
import type { Clock, Op, OpStatus, OutboxItem, Outcome, Store } from "../types.js";

export const WEBHOOK_EVENT_TYPES = ["op.succeeded", "op.failed", "op.dead", "alert.firing", "alert.resolved"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export type OpEventKind = "succeeded" | "failed" | "dead";

/**
 * Deterministic event id of an op event: the same run ending the same way always gets the same
 * id, so an emit retried after a crash is deduplicated by the outbox (enqueueOutbox → false).
 */
export function opEventId(op_id: string, run: number, kind: OpEventKind): string {
  return `evt_op_${op_id}_${run}_${kind}`;
}

/** Deterministic event id of an alert transition: one per incident (`since` = when it fired). */
export function alertEventId(key: string, since: number, state: "firing" | "resolved"): string {
  return `evt_alert_${key}_${since}_${state}`;
}

/** The JSON body POSTed for an outbox item. */
export function createWebhookBody(item: Pick<OutboxItem, "type" | "payload" | "created_at">): string {
  return JSON.stringify({ type: item.type, timestamp: new Date(item.created_at).toISOString(), data: item.payload });
}

export interface OpFinishedArgs {
  /** The op as claimed for the attempt that just ended (its `run` is the run that ended). */
  op: Op;
  /** The op's status after the attempt. */
  status: OpStatus;
  outcome: Outcome;
  error: CourierError | null;
  signature: string | null;
}

export interface OutboxEventSink {
  /**
   * Enqueue the event for an attempt that ended a run or the op: `op.succeeded` (outcome ok),
   * `op.failed` / `op.dead` (those statuses); nothing otherwise. Returns the event type enqueued
   * (null when there was none, or it was already enqueued). Store failures are thrown (coerced).
   */
  opFinished(args: OpFinishedArgs): Promise<WebhookEventType | null>;
}

function opEventKind(status: OpStatus, outcome: Outcome): OpEventKind | null {
  if (status === "dead") return "dead";
  if (status === "failed") return "failed";
  if (outcome === "ok") return "succeeded";
  return null;
}

/**
 * The outbox event for an attempt that ended a run or the op (`op.succeeded` for outcome ok,
 * `op.failed` / `op.dead` for those statuses), or null when it has none. Pure: `now` is the
 * event's `at`. Passed as finishAttempt's `event` it commits with the finish itself.
 */
export function getOpFinishedEvent(a: OpFinishedArgs, now: number): { event_id: string; type: WebhookEventType; payload: Record<string, unknown> } | null {
  const kind = opEventKind(a.status, a.outcome);
  if (kind === null) return null;
  const payload = {
    op_id: a.op.id,
    action: a.op.action,
    run: a.op.run,
    status: a.status,
    attempts: a.op.attempts,
    outcome: a.outcome,
    error: a.error ? { code: a.error.code, message: a.error.message } : null,
    signature: a.signature,
    at: new Date(now).toISOString(),
  };
  return { event_id: opEventId(a.op.id, a.op.run, kind), type: `op.${kind}`, payload };
}

/** The crank's hook into the webhook outbox (wired by the process; the crank knows no webhooks). */
export function createOutboxEventSink(store: Pick<Store, "enqueueOutbox">, clock: Clock): OutboxEventSink {
  return {
    async opFinished(a) {
      const now = clock.now();
      const event = getOpFinishedEvent(a, now);
      if (event === null) return null;
      try {
        const added = await store.enqueueOutbox({ ...event, now });
        return added ? event.type : null;
      } catch (e) {
        throw coerceError(e);
      }
    },
  };
}
