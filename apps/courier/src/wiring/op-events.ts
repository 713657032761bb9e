/**
 * Op webhook events from the crank's own store calls. The crank knows nothing of webhooks; the
 * one place that learns how an attempt ended, with the op's new status, is the store call that
 * ends it (finishAttempt / finishAttempts). This wrapper adds to each finish the event it implies
 * (`op.succeeded` per run that ended ok, `op.failed`, `op.dead`) as the finish's `event`, which
 * the store writes to the outbox in the finish's own transaction, only if the finish applies:
 * a process killed at any point keeps both or neither. Event ids are deterministic per
 * (op, run, kind) and the outbox ignores a repeated id, so nothing is delivered twice by this
 * path. When a finish carrying an event applied, the webhook dispatcher is woken.
 */
import { type AttemptRecord, CourierError, type ErrorCode, ERROR_CODES, type FinishAttemptArgs, getOpFinishedEvent, type Op, type OpStatus, type Outcome, OUTCOMES, type Store } from "@courier/agent";
import type { Logger } from "pino";

export interface OpEventsOptions {
  logger: Logger;
  /** Called after a finish carrying an event applied (wake the dispatcher). */
  onEnqueued: () => void;
}

/** The finish args with the event the finish implies, if any (an event the caller set is kept). */
function withEvent(a: FinishAttemptArgs): FinishAttemptArgs {
  if (a.event) return a;
  const outcome = a.attempt.outcome;
  // Missed and expired runs are history rows, not attempt outcomes.
  if (!(OUTCOMES as readonly string[]).includes(outcome)) return a;
  const status: OpStatus = a.transition.kind === "finish" ? a.transition.status : "pending";
  const event = getOpFinishedEvent(
    {
      // The event reads id, action, run and attempts of the op as claimed; the attempt row has them.
      op: { id: a.id, action: a.attempt.action, run: a.attempt.run, attempts: a.attempt.attempt } as Op,
      status,
      outcome: outcome as Outcome,
      error: toError(a.attempt),
      signature: a.attempt.signature,
    },
    a.now,
  );
  return event ? { ...a, event } : a;
}

export function withOpEvents<S extends Store>(store: S, opts: OpEventsOptions): S {
  const log = opts.logger.child({ component: "op-events" });
  const wake = (n: number): void => {
    if (n === 0) return;
    log.debug({ event: "webhook.op_events", n }, "op events committed with their finish");
    opts.onEnqueued();
  };

  return new Proxy(store, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (prop === "finishAttempt" && typeof value === "function") {
        const finish = value as Store["finishAttempt"];
        return async (args: FinishAttemptArgs) => {
          const withEv = withEvent(args);
          const ok = await finish.call(target, withEv);
          if (ok) wake(withEv.event ? 1 : 0);
          return ok;
        };
      }
      if (prop === "finishAttempts" && typeof value === "function") {
        const finishAll = value as NonNullable<Store["finishAttempts"]>;
        return async (batch: FinishAttemptArgs[]) => {
          const withEv = batch.map(withEvent);
          const results = await finishAll.call(target, withEv);
          wake(withEv.filter((a, i) => results[i] === true && a.event !== undefined).length);
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
