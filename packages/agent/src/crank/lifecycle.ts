/**
 * Lifecycle rules of an op: pure functions from (op, what happened, now, config) to what the
 * store must do. The crank applies them; nothing here touches the store or the clock.
 *
 * After an attempt (`decideAfterResult`):
 * - ok: the run is done. The op finishes `succeeded` when it is a one-off, when `max_exec` runs
 *   have now succeeded, or when its schedule has no slot left before `expires_at`. Otherwise it
 *   moves to the next run: run + 1, attempts 0, exec_count + 1, due_at = next_exec = the next
 *   slot after the run's own due time (anchored to the schedule, not to completion, so no
 *   drift). If that slot is already long past, the claim-time rules below handle it.
 * - retryable: another attempt of the same run after backoff (next_exec = now + backoff,
 *   due_at unchanged), or `dead` once `max_attempts` attempts were made.
 * - permanent: `failed` at once. COURIER__OP__INTENT_INVALID always ends the op `failed`.
 * - infra / ambiguous: released, no attempt consumed. An ambiguous run comes back after a short
 *   delay: its next attempt resolves it through the ledger, it is never blindly re-executed.
 *
 * At claim time (`decideAtClaim`), before anything executes:
 * - An op past `expires_at` finishes `expired` without executing.
 * - A run whose due time is more than `missed_window_ms` in the past is missed and the misfire
 *   policy applies. Slot s is missed when now - s > window; M = the missed slots, oldest first
 *   (the current run's due_at is M[0]). Run numbers follow slots: skipping k slots adds k to run.
 *   - skip: record every run of M as `missed`, advance to the first slot after M (which may be
 *     due already, inside the window: it then runs normally at the next claim). Nothing runs now.
 *   - once: record M[0..k-2] as missed and execute the latest missed slot M[k-1] now as the one
 *     catch-up run; the next run after it is not missed, so nothing else catches up.
 *   - all: execute each missed run in turn (the current one now; after it succeeds the next is
 *     still missed and runs at once, and so on), at most `catchUpCap` of them: older ones are
 *     recorded as missed.
 * - Exemptions: one-off ops never misfire (a late one-off still runs; `expires_at` is how to
 *   bound it); a retry (attempts > 1) is not a missed run; and a run that already started
 *   acting (reclaimed from a dead owner, or with ledger entries) is never expired or skipped:
 *   only the executor's ledger can tell whether its effect happened, so it always resumes.
 * - At most `missedRecordCap` missed rows are written per decision (the latest ones); when more
 *   than `missedCountCap` slots were missed the decision only advances over that many and the
 *   next claim continues (nothing executes until the backlog of missed slots is crossed).
 */
import type { CourierError } from "../errors.js";
import { nextSlotAfter, slotsBetween } from "../schedule/index.js";
import type { Op, Outcome, Transition } from "../types.js";
import { type BackoffConfig, computeBackoff } from "./backoff.js";

export interface LifecycleConfig {
  backoff: BackoffConfig;
  random: () => number;
  /** Delay before an ambiguous run is attempted again (to resolve it through the ledger). */
  ambiguousDelayMs: number;
  /** Missed window for a recurring op whose `missed_window_ms` is null. */
  defaultMissedWindowMs: number;
  /** Policy `all`: most missed runs executed in one catch-up. */
  catchUpCap: number;
  /** Most `missed` attempt rows written per misfire decision. */
  missedRecordCap: number;
  /** Most missed slots counted per misfire decision. */
  missedCountCap: number;
}

export const DEFAULT_LIFECYCLE: Omit<LifecycleConfig, "backoff" | "random"> = {
  ambiguousDelayMs: 1_000,
  defaultMissedWindowMs: 60_000,
  catchUpCap: 100,
  missedRecordCap: 100,
  missedCountCap: 10_000,
};

/** Give the op back without consuming an attempt. */
export interface Release {
  kind: "release";
  next_exec: number;
  last_error: string | null;
}

export type AttemptDecision = Transition | Release;

/** A run skipped by the misfire policy, to record as an attempt row with outcome "missed". */
export interface MissedRun {
  run: number;
  due_at: number;
}

export type ClaimDecision =
  /** Execute the claimed run as it is. */
  | { kind: "execute" }
  /** Finish the op `expired` without executing (recording `missed` runs first, if any). */
  | { kind: "expire"; transition: Transition; missed: MissedRun[] }
  /**
   * Record `missed` and move the op to another run by `transition` (a reschedule); when
   * `execute` is true the new run is due now and should be claimed again and executed.
   */
  | { kind: "advance"; missed: MissedRun[]; transition: Extract<Transition, { kind: "reschedule" }>; execute: boolean };

export function formatLastError(error: Pick<CourierError, "code" | "message">): string {
  return `${error.code}: ${error.message}`;
}

export interface AfterResultArgs {
  op: Op;
  outcome: Outcome;
  error: Pick<CourierError, "code" | "message"> | null;
  now: number;
  config: LifecycleConfig;
}

export function decideAfterResult(args: AfterResultArgs): AttemptDecision {
  const { op, outcome, now, config } = args;
  const lastError = args.error ? formatLastError(args.error) : null;
  // A refused intent ends the op whatever its on_failure: every later run would be refused too.
  if (args.error?.code === "COURIER__OP__INTENT_INVALID") return { kind: "finish", status: "failed", exec_count: op.exec_count, last_error: lastError };
  switch (outcome) {
    case "ok":
      return decideAfterOk(op);
    case "retryable":
      if (op.attempts < op.max_attempts) {
        const delay = computeBackoff({ ...config.backoff, attempts: op.attempts - 1, random: config.random });
        return {
          kind: "reschedule",
          next_exec: now + delay,
          due_at: op.due_at,
          run: op.run,
          exec_count: op.exec_count,
          attempts: op.attempts,
          last_error: lastError,
        };
      }
      return { kind: "finish", status: "dead", exec_count: op.exec_count, last_error: lastError };
    case "permanent":
      return { kind: "finish", status: "failed", exec_count: op.exec_count, last_error: lastError };
    case "infra":
      // Due again at once: the crank's cooldown, not the op, decides when anything runs next.
      return { kind: "release", next_exec: Math.min(op.next_exec, now), last_error: lastError };
    case "ambiguous":
      return { kind: "release", next_exec: now + config.ambiguousDelayMs, last_error: lastError };
  }
}

/** The transition after a successful run. */
export function decideAfterOk(op: Op): Transition {
  const execCount = op.exec_count + 1;
  const done: Transition = { kind: "finish", status: "succeeded", exec_count: execCount, last_error: null };
  if (op.schedule.kind === "once") return done;
  if (op.max_exec !== null && execCount >= op.max_exec) return done;
  const next = nextSlotAfter(op.schedule, op.due_at);
  if (next === null || (op.expires_at !== null && next >= op.expires_at)) return done;
  return { kind: "reschedule", next_exec: next, due_at: next, run: op.run + 1, exec_count: execCount, attempts: 0, last_error: null };
}

export interface AtClaimArgs {
  op: Op;
  now: number;
  /** The run already acted (reclaimed from a dead owner, or has ledger entries): always resume. */
  started: boolean;
  config: LifecycleConfig;
}

/** Whether the claim-time rules could apply (cheap check before looking at the ledger). */
export function needsClaimCheck(op: Op, now: number, config: LifecycleConfig): boolean {
  return isExpired(op, now) || isMisfire(op, now, config);
}

export function decideAtClaim(args: AtClaimArgs): ClaimDecision {
  const { op, now, started, config } = args;
  if (started) return { kind: "execute" };
  if (isExpired(op, now)) {
    return { kind: "expire", transition: expiredTransition(op), missed: [] };
  }
  if (!isMisfire(op, now, config)) return { kind: "execute" };

  const window = getMissedWindow(op, config);
  const lastMissable = now - window - 1;
  const later = slotsBetween(op.schedule, op.due_at, lastMissable, config.missedCountCap);
  const missedSlots = [op.due_at, ...later];
  const truncated = later.length >= config.missedCountCap;
  const toRun = (index: number): MissedRun => ({ run: op.run + index, due_at: missedSlots[index] as number });
  const record = (from: number, to: number): MissedRun[] => {
    const first = Math.max(from, to - config.missedRecordCap);
    const out: MissedRun[] = [];
    for (let i = first; i < to; i++) out.push(toRun(i));
    return out;
  };
  const k = missedSlots.length;
  const reschedule = (index: number, nextExec: number, dueAt: number) =>
    ({
      kind: "reschedule",
      next_exec: nextExec,
      due_at: dueAt,
      run: op.run + index,
      exec_count: op.exec_count,
      attempts: 0,
      last_error: op.last_error,
    }) as const;

  if (op.misfire === "skip" || truncated) {
    const after = nextSlotAfter(op.schedule, missedSlots[k - 1] as number);
    if (after === null || (op.expires_at !== null && after >= op.expires_at)) {
      // Nothing left to run: the op's schedule ended while no crank was up.
      return { kind: "expire", transition: expiredTransition(op), missed: record(0, k) };
    }
    return { kind: "advance", missed: record(0, k), transition: reschedule(k, after, after), execute: false };
  }
  if (op.misfire === "once") {
    if (k === 1) return { kind: "execute" };
    return { kind: "advance", missed: record(0, k - 1), transition: reschedule(k - 1, now, missedSlots[k - 1] as number), execute: true };
  }
  // all
  if (k <= config.catchUpCap) return { kind: "execute" };
  const firstRun = k - config.catchUpCap;
  return { kind: "advance", missed: record(0, firstRun), transition: reschedule(firstRun, now, missedSlots[firstRun] as number), execute: true };
}

function expiredTransition(op: Op): Transition {
  return { kind: "finish", status: "expired", exec_count: op.exec_count, last_error: op.last_error };
}

function isExpired(op: Op, now: number): boolean {
  return op.expires_at !== null && now >= op.expires_at;
}

function getMissedWindow(op: Op, config: LifecycleConfig): number {
  return op.missed_window_ms ?? config.defaultMissedWindowMs;
}

function isMisfire(op: Op, now: number, config: LifecycleConfig): boolean {
  if (op.schedule.kind === "once") return false;
  // attempts counts the claim that brought us here: more than one means this is a retry.
  if (op.attempts > 1) return false;
  return now - op.due_at > getMissedWindow(op, config);
}
