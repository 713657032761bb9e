/**
 * Op webhook events from the crank's own store calls. The crank knows nothing of webhooks; the
 * one place that learns how an attempt ended, with the op's new status, is the store call that
 * ends it (finishAttempt / finishAttempts). This wrapper lets that call through unchanged and,
 * for each attempt it applied, hands the result to the outbox sink (`op.succeeded` per run that
 * ended ok, `op.failed`, `op.dead`), then wakes the webhook dispatcher.
 *
 * The event is enqueued right after the finish commits, not in its transaction (the Store
 * interface has no such hook): a process killed between the two loses that one event. Event
 * ids are deterministic per (op, run, kind), so nothing is ever delivered twice by this path.
 * A failure to enqueue is logged and never turns an applied finish into an error.
 */
import { type AttemptRecord, CourierError, type ErrorCode, ERROR_CODES, type Op, type OpStatus, type Outcome, OUTCOMES, type OutboxEventSink, type Store, type Transition, coerceError } from "@courier/agent";
import type { Logger } from "pino";

type FinishArgs = { id: string; owner: string; now: number; transition: Transition; attempt: AttemptRecord };

export interface OpEventsOptions {
  sink: OutboxEventSink;
  logger: Logger;
  /** Called after events were enqueued (wake the dispatcher). */
  onEnqueued: () => void;
}

export function withOpEvents<S extends Store>(store: S, opts: OpEventsOptions): S {
  const log = opts.logger.child({ component: "op-events" });

  async function emit(applied: FinishArgs[]): Promise<void> {
    let enqueued = 0;
    for (const a of applied) {
      const outcome = a.attempt.outcome;
      // Missed and expired runs are history rows, not attempt outcomes.
      if (!(OUTCOMES as readonly string[]).includes(outcome)) continue;
      const status: OpStatus = a.transition.kind === "finish" ? a.transition.status : "pending";
      try {
        const type = await opts.sink.opFinished({
          // The sink reads id, action, run and attempts of the op as claimed; the attempt row has them.
          op: { id: a.id, action: a.attempt.action, run: a.attempt.run, attempts: a.attempt.attempt } as Op,
          status,
          outcome: outcome as Outcome,
          error: toError(a.attempt),
          signature: a.attempt.signature,
        });
        if (type) enqueued++;
      } catch (e) {
        const err = coerceError(e);
        log.warn({ event: "webhook.enqueue_failed", op_id: a.id, run: a.attempt.run, code: err.code, err: err.message }, "op event not enqueued");
      }
    }
    if (enqueued > 0) opts.onEnqueued();
  }

  return new Proxy(store, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (prop === "finishAttempt" && typeof value === "function") {
        const finish = value as Store["finishAttempt"];
        return async (args: FinishArgs) => {
          const ok = await finish.call(target, args);
          if (ok) await emit([args]);
          return ok;
        };
      }
      if (prop === "finishAttempts" && typeof value === "function") {
        const finishAll = value as NonNullable<Store["finishAttempts"]>;
        return async (batch: FinishArgs[]) => {
          const results = await finishAll.call(target, batch);
          await emit(batch.filter((_, i) => results[i] === true));
          return results;
        };
      }
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function toError(attempt: AttemptRecord): CourierError | null {
  if (attempt.error === null && attempt.error_code === null) return null;
  const code = attempt.error_code !== null && attempt.error_code in ERROR_CODES ? (attempt.error_code as ErrorCode) : "COURIER__UNKNOWN";
  return new CourierError(code, attempt.error ?? code);
}
