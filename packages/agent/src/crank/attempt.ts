/**
 * One claimed op, from its claim to the store call that ends the attempt: the claim-time rules
 * (expiry, misfire), the executor call with its RunContext, the lifecycle decision and the
 * finish or release. Never throws: a store failure is reported to the crank (which may enter
 * infra cooldown) and the op, still leased to us, is left to expire and be reclaimed.
 */
import type { Logger } from "pino";
import { CourierError, coerceError } from "../errors.js";
import type { AlertStore, AttemptRecord, ClaimStore, Clock, ExecResult, Executor, FinishAttemptArgs, FinishStore, LedgerStore, Op, Outcome, RunContext, RunLedger } from "../types.js";
import { getOpFinishedEvent } from "../webhooks/events.js";
import { callAsync } from "./call-async.js";
import type { HeldOp } from "./held-op.js";
import { type ClaimDecision, type LifecycleConfig, type MissedSummary, decideAfterResult, decideAtClaim, formatLastError, formatMissed, needsClaimCheck } from "./lifecycle.js";
import { raiseRunFailedAlert } from "./run-failed-alert.js";
import type { LedgerBatcher } from "./ledger-batcher.js";
import { createRunLedger } from "./run-ledger.js";

export interface AttemptDeps {
  store: ClaimStore & FinishStore & LedgerStore & Pick<AlertStore, "transitionAlert">;
  executor: Executor;
  clock: Clock;
  logger: Logger;
  instanceId: string;
  lifecycle: LifecycleConfig;
  /** Ends an attempt: store.finishAttempt's contract (the crank batches these, see finish-batcher.ts). */
  finishAttempt: (args: FinishAttemptArgs) => Promise<boolean>;
  /** When set, finishes carry their op webhook event (see OpEventsHook). */
  opEvents?: OpEventsHook;
  /** Ledger writes of one moment in one transaction (see ledger-batcher.ts). */
  ledgerBatcher?: LedgerBatcher;
}

/**
 * Op webhook events from the crank. A finish that ends a run or the op carries its event
 * (`op.succeeded` per run that ended ok, `op.failed`, `op.dead`), which the store writes to the
 * outbox in the finish's own transaction, only if the finish applies: a process killed at any
 * point keeps both or neither. Event ids are deterministic per (op, run, kind) and the outbox
 * ignores a repeated id, so nothing is delivered twice by this path.
 */
export interface OpEventsHook {
  /** Called after a finish carrying an event applied (e.g. wake the webhook dispatcher). */
  onEnqueued(): void;
}

/** How the attempt counts in the tick summary. */
export type AttemptTally = "succeeded" | "failed" | "retried" | "released" | "lost" | "none" | "unstarted";

/**
 * Whether a queued (claimed, not started) op may start now: "start"; "shutdown": never started,
 * left held for stop() to release; "release": give it back at once (attempt refunded, e.g. the
 * crank entered infra cooldown while it waited); "lost": its lease was lost while it waited.
 */
export type StartGate = "start" | "shutdown" | "release" | "lost";

export interface AttemptReport {
  tally: AttemptTally;
  /** The executor's outcome; null when the executor was not called. */
  outcome: Outcome | null;
  /** A store call failed (the op stays leased to us until the lease expires). */
  storeError: CourierError | null;
}

export interface RunAttemptArgs {
  held: HeldOp;
  claimedAt: number;
  /** Called once the attempt's ending store call returned: the op is no longer held. */
  endHold: () => void;
  /** Called as soon as the executor's outcome is known, before the store hears of it. */
  onOutcome: (outcome: Outcome) => void;
  /**
   * Runs the claim-time rules and the executor call inside one concurrency slot (p-limit): the
   * slot is given back as soon as the executor returns, before the store call that ends the
   * attempt, so the next queued op executes while that write is batched.
   */
  slot: <T>(fn: (release: () => void) => Promise<T>) => Promise<T>;
  /** The executor gave its slot back (awaitingVerdict): the op now waits in the in-flight set. */
  onAwaitingVerdict?: () => void;
  /** Asked once the slot is ours, before anything runs (see StartGate). */
  mayStart: () => StartGate;
}

/** What ran inside the slot. */
type SlotResult = { kind: "gate"; gate: Exclude<StartGate, "start"> } | { kind: "report"; report: AttemptReport } | { kind: "executed"; run: Executed };

interface Executed {
  result: ExecResult;
  now: number;
  bindings: { op_id: string; action: string; run: number; attempt: number; instance: string };
}

export function createAttemptRunner(deps: AttemptDeps): (args: RunAttemptArgs) => Promise<AttemptReport> {
  const { store, executor, clock, logger, instanceId, lifecycle, finishAttempt, opEvents } = deps;

  const missedRow = (op: Op, m: MissedSummary, now: number): AttemptRecord => ({
    op_id: op.id,
    run: m.first_run,
    // The claimed run's row takes the claimed attempt number; later runs never had one.
    attempt: m.first_run === op.run ? getAttemptNumber(op) : 0,
    instance: instanceId,
    action: op.action,
    started_at: now,
    ended_at: now,
    outcome: "missed",
    error_code: null,
    error: formatMissed(m),
    signature: null,
    latency_ms: 0,
  });

  async function applyClaimDecision(op: Op, decision: Exclude<ClaimDecision, { kind: "execute" }>, now: number, args: RunAttemptArgs): Promise<AttemptReport> {
    args.held.ending = true;
    const base = { op_id: op.id, action: op.action, run: op.run, instance: instanceId };
    if (decision.kind === "expire") {
      const row: AttemptRecord = {
        ...missedRow(op, { first_run: op.run, count: 1, from: op.due_at, to: op.due_at, capped: false }, now),
        outcome: "expired",
        error: `expired: past expires_at ${new Date(op.expires_at ?? now).toISOString()}`,
      };
      const ok = await finishAttempt({ id: op.id, owner: instanceId, now, transition: decision.transition, attempt: row });
      args.endHold();
      if (!ok) return lost(op);
      if (decision.missed) await store.recordAttempt(missedRow(op, decision.missed, now));
      logger.info({ ...base, missed: decision.missed?.count ?? 0 }, "op.expired");
      return { tally: "none", outcome: null, storeError: null };
    }
    const m = decision.missed;
    const ok = await finishAttempt({ id: op.id, owner: instanceId, now, transition: decision.transition, attempt: missedRow(op, m, now) });
    args.endHold();
    if (!ok) return lost(op);
    logger.info(
      { ...base, policy: op.misfire, missed: m.count, missed_from: new Date(m.from).toISOString(), missed_to: new Date(m.to).toISOString(), next_run: decision.transition.run, next_exec: decision.transition.next_exec },
      "op.missed",
    );
    return { tally: "none", outcome: null, storeError: null };
  }

  function lost(op: Op): AttemptReport {
    logger.warn({ op_id: op.id, action: op.action, run: op.run, instance: instanceId }, "op.not_owned");
    return { tally: "lost", outcome: null, storeError: null };
  }

  // From the executor call to the attempt's end, each step chains the next onto the executor's
  // promise rather than awaiting it: a run waiting for its verdict keeps no suspended async frame
  // here (ten thousand in flight would each hold one per level).
  function invoke(op: Op, reclaimed: boolean, args: RunAttemptArgs, release: () => void): Promise<SlotResult> {
    const attempt = getAttemptNumber(op);
    const bindings = { op_id: op.id, action: op.action, run: op.run, attempt, instance: instanceId };
    // The child logger and the ledger view are only built if the executor asks (AttemptContext).
    logger.info(bindings, "op.start");
    const ctx = new AttemptContext(deps, op, attempt, reclaimed, bindings, args, release);
    const executed = (result: ExecResult): SlotResult => {
      // The crank must learn of an outage before the released op can be claimed again.
      args.onOutcome(result.outcome);
      return { kind: "executed", run: { result, now: clock.now(), bindings } };
    };
    return callAsync((): Promise<ExecResult | undefined> => executor.execute(op, ctx)).then(
      (r) => executed(getCheckedResult(r)),
      (e: unknown) => executed(getThrownResult(e)),
    );
  }

  /** The claim-time rules, for an op that may be expired or misfired (the ledger decides). */
  async function checkAtClaim(op: Op, now: number, reclaimed: boolean, args: RunAttemptArgs, release: () => void): Promise<SlotResult> {
    const started = reclaimed || (await store.getLedgerEntries(op.id, op.run)).length > 0;
    const decision = decideAtClaim({ op, now, started, config: lifecycle });
    if (decision.kind !== "execute") return { kind: "report", report: await applyClaimDecision(op, decision, now, args) };
    return invoke(op, reclaimed, args, release);
  }

  async function settle(op: Op, ran: Executed, args: RunAttemptArgs): Promise<AttemptReport> {
    const h = args.held;
    const { result, now, bindings } = ran;
    const attempt = getAttemptNumber(op);
    const latency = Math.max(0, now - args.claimedAt);
    const error = result.outcome === "ok" ? null : result.error;
    const signature = result.signature ?? null;
    logger.info(
      {
        ...bindings,
        outcome: result.outcome,
        latency_ms: latency,
        ...(signature ? { signature } : {}),
        ...(error ? { error: { code: error.code, message: error.message } } : {}),
      },
      "op.end",
    );
    // An attempt cut short by shutdown may have acted: give it back rather than burn an attempt.
    const interrupted = h.abortReason === "shutdown" && result.outcome !== "ok" && result.outcome !== "permanent";
    const decision = interrupted
      ? { kind: "release" as const, next_exec: now, last_error: error ? formatLastError(error) : null }
      : decideAfterResult({ op, outcome: result.outcome, error, now, config: lifecycle });
    const row: AttemptRecord = {
      op_id: op.id,
      run: op.run,
      attempt,
      instance: instanceId,
      action: op.action,
      started_at: args.claimedAt,
      ended_at: now,
      outcome: result.outcome,
      error_code: error?.code ?? null,
      error: error?.message ?? null,
      signature,
      latency_ms: latency,
    };
    h.ending = true;
    if (decision.kind === "release") {
      const released = await store.releaseOp({ id: op.id, owner: instanceId, now, next_exec: decision.next_exec, last_error: decision.last_error });
      args.endHold();
      if (!released) return { ...lost(op), outcome: result.outcome };
      // History of a try that consumed no attempt (the next claim reuses its number).
      await store.recordAttempt(row);
      return { tally: "released", outcome: result.outcome, storeError: null };
    }
    const { skipped, runFailed, ...transition } = decision;
    const status = transition.kind === "finish" ? transition.status : "pending";
    const event = opEvents ? getOpFinishedEvent({ op, status, outcome: result.outcome, error, signature }, now) : null;
    const finished = await finishAttempt({ id: op.id, owner: instanceId, now, transition, attempt: row, ...(event ? { event } : {}) });
    args.endHold();
    if (!finished) return { ...lost(op), outcome: result.outcome };
    if (event) opEvents?.onEnqueued();
    if (skipped) {
      await store.recordAttempt(missedRow(op, skipped, now));
      logger.info({ ...bindings, policy: op.misfire, missed: skipped.count, next_run: transition.kind === "reschedule" ? transition.run : null }, "op.missed");
    }
    if (runFailed) await raiseRunFailedAlert({ store, logger, op, run: op.run, error: error ? formatLastError(error) : null, now });
    const tally: AttemptTally =
      result.outcome === "ok" ? "succeeded" : decision.kind === "reschedule" ? "retried" : "failed";
    return { tally, outcome: result.outcome, storeError: null };
  }

  async function releaseUnstarted(op: Op, args: RunAttemptArgs): Promise<AttemptReport> {
    args.held.ending = true;
    const now = clock.now();
    const released = await store.releaseOp({ id: op.id, owner: instanceId, now, next_exec: Math.min(op.next_exec, now), last_error: op.last_error });
    args.endHold();
    return released ? { tally: "released", outcome: null, storeError: null } : lost(op);
  }

  function afterSlot(op: Op, ran: SlotResult, args: RunAttemptArgs): AttemptReport | Promise<AttemptReport> {
    if (ran.kind === "report") return ran.report;
    if (ran.kind === "executed") return settle(op, ran.run, args);
    // A queued op stopped by shutdown stays held: stop() releases it with the others.
    if (ran.gate === "shutdown") return { tally: "unstarted", outcome: null, storeError: null };
    if (ran.gate === "release") return releaseUnstarted(op, args);
    return lost(op);
  }

  function endAttempt(args: RunAttemptArgs, report: AttemptReport): AttemptReport {
    if (report.tally !== "unstarted") args.endHold();
    return report;
  }

  function failAttempt(op: Op, args: RunAttemptArgs, e: unknown): AttemptReport {
    const error = coerceError(e);
    logger.error({ op_id: op.id, action: op.action, run: op.run, instance: instanceId, error: error.toJSON() }, "op.store_error");
    args.endHold();
    return { tally: "none", outcome: null, storeError: error };
  }

  return function runAttempt(args: RunAttemptArgs): Promise<AttemptReport> {
    const { op, reclaimed } = args.held.claimed;
    return args
      .slot((release): Promise<SlotResult> => {
        const gate = args.mayStart();
        if (gate !== "start") return Promise.resolve({ kind: "gate", gate });
        // The claim-time rules with a fresh `now`: a queued op may have waited.
        const now = clock.now();
        if (needsClaimCheck(op, now, lifecycle)) return checkAtClaim(op, now, reclaimed, args, release);
        return invoke(op, reclaimed, args, release);
      })
      .then((ran) => {
        // One pending step while the run waits for its verdict: the attempt's end is chained
        // only once the slot's result is known.
        let next: AttemptReport | Promise<AttemptReport>;
        try {
          next = afterSlot(op, ran, args);
        } catch (e) {
          return failAttempt(op, args, e);
        }
        return next instanceof Promise ? next.then((report) => endAttempt(args, report), (e: unknown) => failAttempt(op, args, e)) : endAttempt(args, next);
      }, (e: unknown) => failAttempt(op, args, e));
  };
}

/**
 * The RunContext of one attempt. A class with prototype getters rather than an object literal:
 * a literal with getters is a dictionary-mode object with a closure per getter, and ten
 * thousand runs in flight each hold their context.
 */
class AttemptContext implements RunContext {
  private logger: Logger | null = null;
  private runLedger: RunLedger | null = null;
  readonly run: number;
  readonly instance: string;

  constructor(
    private readonly deps: AttemptDeps,
    private readonly op: Op,
    readonly attempt: number,
    readonly reclaimed: boolean,
    private readonly bindings: Record<string, unknown>,
    private readonly args: RunAttemptArgs,
    private readonly release: () => void,
  ) {
    this.run = op.run;
    this.instance = deps.instanceId;
  }

  get ledger(): RunLedger {
    const { deps, op } = this;
    this.runLedger ??= createRunLedger(deps.store, deps.clock, op.id, op.run, deps.instanceId, deps.ledgerBatcher);
    return this.runLedger;
  }

  get signal(): AbortSignal {
    return this.args.held.controller.signal;
  }

  // op.start / op.end carry the bindings themselves; the child logger (a serialisation of its
  // bindings) is only built if the executor asks for it.
  get log(): Logger {
    this.logger ??= this.deps.logger.child(this.bindings);
    return this.logger;
  }

  awaitingVerdict(): void {
    const h = this.args.held;
    if (h.awaitingVerdict) return;
    h.awaitingVerdict = true;
    this.release();
    this.args.onAwaitingVerdict?.();
  }
}

/** The executor's answer as a result: a missing one is an executor failure, an error a CourierError. */
function getCheckedResult(r: ExecResult | undefined): ExecResult {
  if (!r || typeof r !== "object" || typeof r.outcome !== "string") {
    return getThrownResult(new CourierError("COURIER__OP__EXECUTOR_THREW", "executor returned no result"));
  }
  if (r.outcome !== "ok" && !(r.error instanceof CourierError)) return { ...r, error: coerceError(r.error, "COURIER__OP__EXECUTOR_THREW") };
  return r;
}

/** What a throwing executor's attempt counts as (retryable unless the error says otherwise). */
function getThrownResult(e: unknown): ExecResult {
  const error = coerceError(e, "COURIER__OP__EXECUTOR_THREW");
  return { outcome: error.outcome === "ok" ? "retryable" : error.outcome, error };
}

/** Attempt numbers keep increasing across operator retries (attempt_base counts those before). */
export function getAttemptNumber(op: Op): number {
  return op.attempt_base + op.attempts;
}
