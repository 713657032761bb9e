/**
 * Core types of the Courier crank.
 *
 * Glossary
 * - op: a scheduled operation: one action with its params and a schedule (one-off, interval,
 *   cron). An op lives in the store until it reaches a terminal status.
 * - run: one scheduled execution of an op. A one-off op has one run; a recurring op has a run
 *   per schedule slot. Runs are numbered from 1 (`Op.run` is the current run).
 * - attempt: one try at a run. A retryable failure ends an attempt and schedules another
 *   attempt of the same run (with backoff); `Op.attempts` counts attempts of the current run.
 * - claim: the compare-and-set that moves an op from `pending` to `running` for one process.
 *   A process only executes what it claimed.
 * - lease: `lease_owner` + `lease_until` on a running op. The owner renews it while working;
 *   when it expires (the owner died) any process may reclaim the op.
 * - tick: one iteration of the crank loop: reclaim, claim a batch, dispatch, record a summary.
 * - ledger entry: what the executor recorded about a run before acting on chain (for Solana:
 *   the signed transaction bytes and signature, written before the first send). A reclaimed
 *   run resumes from its ledger entries instead of starting over.
 * - instance: one crank process, named by COURIER_INSTANCE_ID.
 */
import type { Logger } from "pino";
import type { z } from "zod";
import type { CourierError } from "./errors.js";

/** The store and its roles (argument types included) live in store/roles.ts. */
export type * from "./store/roles.js";

export type OpStatus = "pending" | "running" | "paused" | "succeeded" | "failed" | "dead" | "cancelled" | "expired";
export const OP_STATUSES: readonly OpStatus[] = [
  "pending",
  "running",
  "paused",
  "succeeded",
  "failed",
  "dead",
  "cancelled",
  "expired",
];
export const TERMINAL_STATUSES: readonly OpStatus[] = ["succeeded", "failed", "dead", "cancelled", "expired"];

/**
 * Outcome of one attempt.
 * - ok: the run is done.
 * - retryable: a transient failure of this op (429, 5xx, timeout, node behind); consumes an attempt.
 * - permanent: retrying cannot help (insufficient funds, program error, spend cap); the op fails.
 * - infra: the crank cannot work at all (every RPC endpoint down, store unavailable); consumes
 *   no attempt and puts the crank into cooldown.
 * - ambiguous: the effect may or may not have happened (send timed out); never re-executed
 *   blindly: the next attempt resolves it through the ledger. Consumes no attempt.
 */
export type Outcome = "ok" | "retryable" | "permanent" | "infra" | "ambiguous";
export const OUTCOMES: readonly Outcome[] = ["ok", "retryable", "permanent", "infra", "ambiguous"];

export type MisfirePolicy = "skip" | "once" | "all";

/** What a recurring op does after a run fails for good: go on with its next slot, or end `failed`. */
export type OnFailure = "continue" | "stop";

/**
 * An operator's request that waits for the op's in-flight run to resolve (its transaction may
 * still land): then the op ends `cancelled` or becomes `paused` instead of running again.
 */
export type AfterRun = "cancel" | "pause";

export type Schedule =
  | { kind: "once" }
  /** Interval anchored to `anchor` (epoch ms): slots are anchor + k * every_ms, so runs do not drift. */
  | { kind: "every"; every_ms: number; anchor: number }
  | { kind: "cron"; cron: string; tz: string };

/** An op as stored. All times are epoch milliseconds (responses render them as ISO-8601). */
export interface Op {
  id: string;
  action: string;
  params: unknown;
  status: OpStatus;
  schedule: Schedule;
  /** When the current run (or its next attempt) is due. */
  next_exec: number;
  /** When the current run was originally due (next_exec minus backoff); lag and misfire use it. */
  due_at: number;
  created_at: number;
  updated_at: number;
  /** Current run number, from 1. */
  run: number;
  /** Runs that ended ok. */
  exec_count: number;
  max_exec: number | null;
  /** Attempts of the current run, including one in progress. */
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  expires_at: number | null;
  idempotency_key: string | null;
  misfire: MisfirePolicy;
  /** A run started later than this after its due time counts as missed (misfire policy applies). */
  missed_window_ms: number | null;
  /** Recurring ops: what a run that fails for good does to the op ("stop" for one-off ops). */
  on_failure: OnFailure;
  /** Requested while the current run may still land; applied when that run resolves. */
  after_run: AfterRun | null;
  /** Attempts made before the last operator retry: attempt numbers keep increasing across retries. */
  attempt_base: number;
  /**
   * Ledger entries of the current run with seq below this were resolved before an operator
   * retry: their failed verdict is history, the retry signs a new transaction.
   */
  ledger_floor: number;
  lease_owner: string | null;
  lease_until: number | null;
  /** The owner's signature over the op's intent (docs/security.md); null when unsigned. */
  intent?: StoredIntent | null;
}

/** A stored op's signature: the signer, the signature, and the exact canonical JSON it covers (intent/op-intent.ts). */
export interface StoredIntent {
  /** Base58 ed25519 public key of the owner. */
  signer: string;
  /** Base58 ed25519 signature of the intent message built from `payload`. */
  signature: string;
  /** The canonical JSON that was signed (kept so that a mismatch can name the fields that differ). */
  payload: string;
}

/** What a caller supplies to schedule an op (already validated and normalised). */
export interface NewOp {
  id: string;
  action: string;
  params: unknown;
  schedule: Schedule;
  next_exec: number;
  created_at: number;
  max_exec: number | null;
  max_attempts: number;
  expires_at: number | null;
  idempotency_key: string | null;
  misfire: MisfirePolicy;
  missed_window_ms: number | null;
  intent?: StoredIntent | null;
  /** Default: "continue" for a recurring op, "stop" for a one-off (see getOnFailure). */
  on_failure?: OnFailure;
}

/** An op won by a claim, with what the claim learned about its run. */
export interface ClaimedOp {
  op: Op;
  /** True when the op's previous lease expired mid-run (its owner died): resume from the ledger. */
  reclaimed: boolean;
}

/** One row of attempt history. */
export interface AttemptRecord {
  op_id: string;
  run: number;
  attempt: number;
  instance: string;
  action: string;
  started_at: number;
  ended_at: number;
  /** An Outcome, or "missed" for a run skipped by the misfire policy. */
  outcome: Outcome | "missed" | "expired";
  error_code: string | null;
  error: string | null;
  signature: string | null;
  latency_ms: number;
}

/** Executor's durable record of a run's on-chain effect (see glossary: ledger entry). */
export type LedgerState = "signed" | "sent" | "landed" | "failed" | "expired";
export interface LedgerEntry {
  op_id: string;
  run: number;
  /** Order of transactions within a run (0 for the first signature, 1 after a re-sign, …). */
  seq: number;
  signature: string;
  wire: Uint8Array;
  blockhash: string;
  last_valid_block_height: number;
  state: LedgerState;
  error: string | null;
  /** Lamports this transaction moves out of the signer (for spend accounting). */
  lamports: number;
  signer: string;
  created_at: number;
  updated_at: number;
}

export interface TickSummary {
  id: string;
  instance: string;
  started_at: number;
  duration_ms: number;
  claimed: number;
  succeeded: number;
  failed: number;
  retried: number;
  skipped_in_flight: number;
}

export interface InstanceInfo {
  id: string;
  started_at: number;
  last_tick_at: number | null;
  last_seen_at: number;
  in_flight: number;
}

export interface AuditEvent {
  id: number;
  at: number;
  instance: string | null;
  kind: string;
  op_id: string | null;
  data: Record<string, unknown>;
}

export interface CrankControl {
  paused: boolean;
  paused_at: number | null;
  paused_by: string | null;
  /** Set by a supervisor whose restart budget is spent; cleared by resume. */
  halted: boolean;
  halted_at: number | null;
  halted_reason: string | null;
}

export interface OpListFilter {
  status?: OpStatus;
  action?: string;
  limit: number;
  /** Opaque cursor from a previous page. */
  cursor?: string | null;
}

export interface LatencySummary {
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  count: number;
}

/** The store-derived part of the stats object (CONTRACT.md); the process adds state and rpc. */
export interface StoreStats {
  instances: Array<{ id: string; started_at: string; last_tick_at: string | null; in_flight: number }>;
  totals: { succeeded: number; failed: number; retried: number; dead: number; expired: number; missed: number; cancelled: number };
  ops_by_status: Record<OpStatus, number>;
  latency_ms: LatencySummary;
  by_action: Record<string, { succeeded: number; failed: number; p50_ms: number | null; p95_ms: number | null }>;
  ticks: Array<Omit<TickSummary, "started_at"> & { started_at: string }>;
  last_tick_at: string | null;
  last_success_at: string | null;
  last_failure_at: string | null;
  control: CrankControl;
}

/** How an attempt ends, as the store applies it (computed by the crank's lifecycle rules). */
export type Transition =
  /** Back to pending for another attempt or the next run. */
  | {
      kind: "reschedule";
      next_exec: number;
      due_at: number;
      run: number;
      exec_count: number;
      attempts: number;
      last_error: string | null;
    }
  /** A terminal status. */
  | { kind: "finish"; status: Exclude<OpStatus, "pending" | "running">; exec_count: number; last_error: string | null };

export interface OutboxItem {
  id: number;
  event_id: string;
  type: string;
  payload: Record<string, unknown>;
  attempts: number;
  created_at: number;
  next_attempt_at: number;
  delivered_at: number | null;
  last_error: string | null;
}

export interface AlertRecord {
  key: string;
  state: "firing" | "resolved";
  since: number;
  updated_at: number;
  data: Record<string, unknown>;
}

/** Time, injected everywhere so schedules, leases and backoff are tested without sleeping. */
export interface Clock {
  now(): number;
  /** Resolves after `ms` or when `signal` aborts (never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The executor's view of its run's ledger entries. */
export interface RunLedger {
  entries(): Promise<LedgerEntry[]>;
  put(entry: Omit<LedgerEntry, "op_id" | "run" | "created_at" | "updated_at">): Promise<void>;
  update(seq: number, state: LedgerState, error: string | null): Promise<void>;
}

export interface RunContext {
  run: number;
  attempt: number;
  instance: string;
  /** The previous owner of this run died mid-run: reconcile through `ledger` before acting. */
  reclaimed: boolean;
  ledger: RunLedger;
  /** Aborted when the process shuts down or loses the lease. */
  signal: AbortSignal;
  log: Logger;
  /**
   * The run's work is out (its transaction sent) and only its verdict is awaited: the crank
   * gives its concurrency slot to the next op. The attempt still ends only with the result.
   */
  awaitingVerdict?(): void;
}

export type ExecResult =
  | { outcome: "ok"; signature?: string | null; detail?: Record<string, unknown> }
  | { outcome: Exclude<Outcome, "ok">; error: CourierError; signature?: string | null };

/** Chain-agnostic execution of one attempt. Must not throw: failures are results (a throw is coerced). */
export interface Executor {
  execute(op: Op, ctx: RunContext): Promise<ExecResult>;
}

/** A registered action: its name and the zod schema its params must satisfy at schedule time. */
export interface ActionDef<S extends z.ZodType = z.ZodType> {
  name: string;
  description?: string;
  params: S;
  /**
   * Checks the schema cannot express (an IDL file, its accounts), run once when an op is
   * scheduled, after the schema passed. Throws COURIER__ACTION__INVALID_PARAMS to refuse.
   */
  check?: (params: z.output<S>) => Promise<void> | void;
}
