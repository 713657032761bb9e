/**
 * Lifecycle rules of an op: pure functions from (op, what happened, now, config) to what the
 * store must do. The crank applies them; nothing here touches the store or the clock.
 *
 * After an attempt (`decideAfterResult`):
 * - ok: the run is done. The op finishes `succeeded` when it is a one-off or when `max_exec`
 *   runs have now succeeded; `expired` when its schedule has no slot left before `expires_at`.
 *   Otherwise it moves to the next run: run + 1, attempts 0, exec_count + 1, due_at = next_exec =
 *   the next slot after the run's own due time (anchored to the schedule, not to completion, so
 *   no drift). Under `skip`, slots the run itself overran (due before it ended) are skipped, as
 *   one missed summary, and the op resumes at its next future slot.
 * - retryable: another attempt of the same run after backoff (next_exec = now + backoff,
 *   due_at unchanged); once `max_attempts` attempts were made the run has failed for good.
 * - permanent: the run has failed for good. COURIER__OP__INTENT_INVALID always ends the op `failed`
 *   (a tampered op must not run again, whatever its on_failure).
 * - A run failed for good ends a one-off op (`failed`, or `dead` when its attempts ran out). A
 *   recurring op with `on_failure: "continue"` records the run as failed and moves to its next
 *   slot as above (exec_count unchanged, last_error kept, `runFailed` set so the crank raises the
 *   op's one alert); with "stop" it ends like a one-off.
 * - infra / ambiguous: released, no attempt consumed. An ambiguous run comes back after a short
 *   delay: its next attempt resolves it through the ledger, it is never blindly re-executed.
 *
 * At claim time (`decideAtClaim`), before anything executes:
 * - An op past `expires_at` finishes `expired` without executing.
 * - A run whose due time is more than `missed_window_ms` in the past is missed and the misfire
 *   policy applies to every slot from its due time up to now (M, oldest first, k of them; run
 *   numbers follow slots, so skipping j slots adds j to run):
 *   - skip: all of M is missed; the op resumes at its next slot after now. Nothing runs now.
 *   - once: M[0..k-2] are missed and the latest slot M[k-1] runs now as the one catch-up; the
 *     next run after it is in the future.
 *   - all: each run of M executes in turn, at most `catchUpCap` of them (older ones are missed).
 * - Missed slots are recorded as ONE summary (how many, from, to), never one row per slot.
 * - Exemptions: one-off ops never misfire (a late one-off still runs; `expires_at` is how to
 *   bound it); a retry (attempts > 1) is not a missed run; and a run that already started
 *   acting (reclaimed from a dead owner, or with ledger entries) is never expired or skipped:
 *   only the executor's ledger can tell whether its effect happened, so it always resumes.
 * - At most `missedCountCap` slots are counted per decision: beyond that the op skips to the
 *   slot after the last counted one and the next claim continues.
 */
import type { CourierError } from "../errors.js";
import { countSlots, nextSlotAfter, slotsBetween } from "../schedule/index.js";
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
  /** Most missed slots counted per misfire decision. */
  missedCountCap: number;
}

export const DEFAULT_LIFECYCLE: Omit<LifecycleConfig, "backoff" | "random"> = {
  ambiguousDelayMs: 1_000,
  defaultMissedWindowMs: 60_000,
  catchUpCap: 100,
  missedCountCap: 10_000,
};

/** Give the op back without consuming an attempt. */
export interface Release {
  kind: "release";
  next_exec: number;
  last_error: string | null;
}

/** Slots skipped in one go, recorded as one `missed` attempt row. */
export interface MissedSummary {
  /** Run number of the first skipped slot. */
  first_run: number;
  count: number;
  /** Due time of the first and of the last skipped slot. */
  from: number;
  to: number;
  /** More slots were missed than were counted (see missedCountCap). */
  capped: boolean;
}

export type AttemptDecision =
  | (Transition & {
      /** Slots the run overran, skipped (policy skip). */
      skipped?: MissedSummary;
      /** The run failed for good and the op went on (on_failure "continue"): raise the op's alert. */
      runFailed?: boolean;
    })
  | Release;

export type ClaimDecision =
  /** Execute the claimed run as it is. */
  | { kind: "execute" }
  /** Finish the op `expired` without executing (recording the missed summary first, if any). */
  | { kind: "expire"; transition: Transition; missed: MissedSummary | null }
  /**
   * Record `missed` and move the op to another run by `transition` (a reschedule); when
   * `execute` is true the new run is due now and should be claimed again and executed.
   */
  | { kind: "advance"; missed: MissedSummary; transition: Extract<Transition, { kind: "reschedule" }>; execute: boolean };

export function formatLastError(error: Pick<CourierError, "code" | "message">): string {
  return `${error.code}: ${error.message}`;
}

/** The one line a missed summary is recorded with. */
export function formatMissed(m: MissedSummary): string {
  const runs = m.count === 1 ? `run ${m.first_run}` : `runs ${m.first_run}–${m.first_run + m.count - 1}`;
  const when = m.count === 1 ? `due ${new Date(m.from).toISOString()}` : `due ${new Date(m.from).toISOString()} to ${new Date(m.to).toISOString()}`;
  return `missed ${m.capped ? "at least " : ""}${m.count} run${m.count === 1 ? "" : "s"} (${runs}, ${when})`;
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
      return decideAfterOk(op, now, config);
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
      return decideAfterRunFailed(op, "dead", lastError, now, config);
    case "permanent":
      return decideAfterRunFailed(op, "failed", lastError, now, config);
    case "infra":
      // Due again at once: the crank's cooldown, not the op, decides when anything runs next.
      return { kind: "release", next_exec: Math.min(op.next_exec, now), last_error: lastError };
    case "ambiguous":
      return { kind: "release", next_exec: now + config.ambiguousDelayMs, last_error: lastError };
  }
}

/** The transition after a successful run. */
export function decideAfterOk(op: Op, now: number, config: Pick<LifecycleConfig, "missedCountCap">): AttemptDecision {
  const execCount = op.exec_count + 1;
  if (op.schedule.kind === "once") return { kind: "finish", status: "succeeded", exec_count: execCount, last_error: null };
  if (op.max_exec !== null && execCount >= op.max_exec) return { kind: "finish", status: "succeeded", exec_count: execCount, last_error: null };
  return decideNextRun(op, now, config, { execCount, lastError: null, endStatus: "succeeded" });
}

function decideAfterRunFailed(op: Op, status: "failed" | "dead", lastError: string | null, now: number, config: LifecycleConfig): AttemptDecision {
  if (op.schedule.kind === "once" || op.on_failure !== "continue") return { kind: "finish", status, exec_count: op.exec_count, last_error: lastError };
  const next = decideNextRun(op, now, config, { execCount: op.exec_count, lastError, endStatus: "failed" });
  return next.kind === "release" ? next : { ...next, runFailed: true };
}

/** Move a recurring op to its next slot, or end it when its schedule has none left. */
function decideNextRun(
  op: Op,
  now: number,
  config: Pick<LifecycleConfig, "missedCountCap">,
  end: { execCount: number; lastError: string | null; endStatus: "succeeded" | "failed" },
): AttemptDecision {
  let next = nextSlotAfter(op.schedule, op.due_at);
  let skipped: MissedSummary | undefined;
  if (next !== null && next <= now && op.misfire === "skip") {
    // The run overran its next slots: under skip they are missed, not caught up back to back.
    const c = countSlots(op.schedule, next, now, config.missedCountCap);
    skipped = { first_run: op.run + 1, count: c.count, from: next, to: c.last ?? next, capped: c.capped };
    next = nextSlotAfter(op.schedule, c.capped ? (c.last ?? now) : now);
  }
  if (next === null) return { kind: "finish", status: end.endStatus, exec_count: end.execCount, last_error: end.lastError, ...(skipped ? { skipped } : {}) };
  if (op.expires_at !== null && next >= op.expires_at) {
    return { kind: "finish", status: "expired", exec_count: end.execCount, last_error: end.lastError, ...(skipped ? { skipped } : {}) };
  }
  return {
    kind: "reschedule",
    next_exec: next,
    due_at: next,
    run: op.run + 1 + (skipped?.count ?? 0),
    exec_count: end.execCount,
    attempts: 0,
    last_error: end.lastError,
    ...(skipped ? { skipped } : {}),
  };
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
    return { kind: "expire", transition: expiredTransition(op), missed: null };
  }
  if (!isMisfire(op, now, config)) return { kind: "execute" };

  // Every slot from the current run's due time up to now: k ≥ 1 (due_at itself is one).
  const past = countSlots(op.schedule, op.due_at, now, config.missedCountCap);
  const k = Math.max(1, past.count);
  const last = past.last ?? op.due_at;
  const summary = (count: number, to: number): MissedSummary => ({ first_run: op.run, count, from: op.due_at, to, capped: false });
  const reschedule = (skip: number, nextExec: number, dueAt: number) =>
    ({
      kind: "reschedule",
      next_exec: nextExec,
      due_at: dueAt,
      run: op.run + skip,
      exec_count: op.exec_count,
      attempts: 0,
      last_error: op.last_error,
    }) as const;

  if (op.misfire === "skip" || past.capped) {
    const missed = { ...summary(k, last), capped: past.capped };
    const after = nextSlotAfter(op.schedule, past.capped ? last : now);
    if (after === null || (op.expires_at !== null && after >= op.expires_at)) {
      // Nothing left to run: the op's schedule ended while no crank ran it.
      return { kind: "expire", transition: expiredTransition(op), missed };
    }
    return { kind: "advance", missed, transition: reschedule(k, after, after), execute: false };
  }
  if (op.misfire === "once") {
    if (k === 1) return { kind: "execute" };
    const before = slotsBetween(op.schedule, op.due_at, last - 1, k).at(-1) ?? op.due_at;
    return { kind: "advance", missed: summary(k - 1, before), transition: reschedule(k - 1, now, last), execute: true };
  }
  // all
  if (k <= config.catchUpCap) return { kind: "execute" };
  const skip = k - config.catchUpCap;
  const later = slotsBetween(op.schedule, op.due_at, now, skip);
  const firstRun = later[skip - 1] as number;
  const lastMissed = skip >= 2 ? (later[skip - 2] as number) : op.due_at;
  return { kind: "advance", missed: summary(skip, lastMissed), transition: reschedule(skip, now, firstRun), execute: true };
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
