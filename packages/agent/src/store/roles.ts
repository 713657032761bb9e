/**
 * The store, split into roles sized to their users. Each user takes only the roles it calls:
 * the crank takes claim + finish + ledger + control + stats, the executor ledger + spend, spend
 * guards spend, the webhook dispatcher outbox, the admin service and the CLI operator + stats +
 * control + audit. `Store` is every role at once, for the wiring code that opens one.
 *
 * Every verb is async so a networked backend fits. Verbs that act on a claimed op check ownership
 * (`lease_owner = owner AND status = 'running'`) and return false when the op is no longer theirs.
 * Each argument has one named type, declared here and nowhere else.
 */
import type {
  AlertRecord,
  AttemptRecord,
  AuditEvent,
  ClaimedOp,
  CrankControl,
  LedgerEntry,
  LedgerState,
  NewOp,
  Op,
  OpListFilter,
  OutboxItem,
  StoredIntent,
  StoreStats,
  TickSummary,
  Transition,
} from "../types.js";

// ---- argument and result types (one declaration each) ----

/** An outbox event: written by enqueueOutbox, or by a finish / alert transition in its own transaction. */
export interface OutboxEvent {
  event_id: string;
  type: string;
  payload: Record<string, unknown>;
}
/** The event a finish writes with it. */
export type FinishEvent = OutboxEvent;

export interface ClaimDueArgs {
  now: number;
  limit: number;
  owner: string;
  lease_ms: number;
}
export interface ClaimOneArgs {
  id: string;
  now: number;
  owner: string;
  lease_ms: number;
}
export interface RenewLeasesArgs {
  ids: string[];
  owner: string;
  now: number;
  lease_ms: number;
}
export interface ReclaimExpiredArgs {
  now: number;
  limit: number;
}
export interface ReleaseOpArgs {
  id: string;
  owner: string;
  now: number;
  next_exec: number;
  last_error: string | null;
}
/** The argument of finishAttempt (and each entry of finishAttempts). */
export interface FinishAttemptArgs {
  id: string;
  owner: string;
  now: number;
  transition: Transition;
  attempt: AttemptRecord;
  event?: FinishEvent;
}
/** setOpIntent: the owner's signature of the op as it is stored (`courier ops sign`). */
export interface SetOpIntentArgs {
  id: string;
  intent: StoredIntent;
  now: number;
}
/** cancelOp / retryOp. */
/** cancelOp / retryOp / pauseOp / resumeOp. */
export interface OpCommandArgs {
  id: string;
  now: number;
}
/** What an operator verb did to one op. */
export interface OperatorResult {
  op: Op;
  changed: boolean;
  /** Cancel refused: the op's transaction may still land (one-off op). */
  in_flight?: boolean;
}
/** null when the op does not exist; `changed: false` when the command did not apply. */
export type OpCommandResult = OperatorResult | null;
export interface ExpireDueArgs {
  now: number;
  limit: number;
  /** Written as the `instance` of each `expired` attempt row. */
  instance: string;
}
/** Guard of a ledger write: only while the op is `running` under `owner`. */
export interface LedgerPutGuard {
  owner: string;
}
/** One entry of a batched ledger write (see LedgerStore.putLedgerEntries). */
export interface PutLedgerEntryArgs {
  entry: LedgerEntry;
  /** Written only while the op is `running` under this owner. */
  owner: string;
}
/** What became of one entry of a batched ledger write. */
export type LedgerPutResult = "ok" | "lease_lost" | "conflict";
export interface OpPage {
  ops: Op[];
  next_cursor: string | null;
}
export interface SetPausedArgs {
  paused: boolean;
  by: string;
  now: number;
}
export interface SetHaltedArgs {
  halted: boolean;
  reason: string | null;
  now: number;
}
export interface HeartbeatArgs {
  instance: string;
  started_at: number;
  now: number;
  in_flight: number;
  ticked: boolean;
}
export interface StatsArgs {
  ticks: number;
  now: number;
}
export interface UpdateLedgerEntryArgs {
  op_id: string;
  run: number;
  seq: number;
  state: LedgerState;
  error: string | null;
  now: number;
}
export interface ReserveSpendArgs {
  signer: string;
  day: string;
  lamports: number;
  cap: number | null;
}
export interface ReleaseSpendArgs {
  signer: string;
  day: string;
  lamports: number;
}
export interface SpendTodayArgs {
  day: string;
}
export type NewAuditEvent = Omit<AuditEvent, "id">;
export interface ListAuditArgs {
  limit: number;
  kind?: string;
}
export interface EnqueueOutboxArgs extends OutboxEvent {
  now: number;
}
export interface ClaimOutboxArgs {
  now: number;
  limit: number;
  owner: string;
  lease_ms: number;
}
export interface MarkOutboxDeliveredArgs {
  id: number;
  owner: string;
  now: number;
}
export interface MarkOutboxFailedArgs {
  id: number;
  owner: string;
  now: number;
  error: string;
  next_attempt_at: number;
  dead: boolean;
}
export interface OutboxSummary {
  pending: number;
  delivered: number;
  dead: number;
  oldest_pending_at: number | null;
}
export interface ListDueOpsArgs {
  /** Due at or before this time (epoch ms); overdue ops are included. */
  until: number;
  limit: number;
}

export interface CountAttemptOutcomesArgs {
  /** Attempts ended in [since, until); buckets start at since + k·bucket_ms. */
  since: number;
  until: number;
  bucket_ms: number;
}

export interface OutcomeCount {
  /** Start of the bucket (epoch ms). */
  bucket: number;
  outcome: string;
  n: number;
}

export interface CountOverdueArgs {
  before: number;
}
export interface TransitionAlertArgs {
  key: string;
  state: "firing" | "resolved";
  now: number;
  data: Record<string, unknown>;
  event?: OutboxEvent;
}

// ---- roles ----

/** The claim path and leases (crank). */
export interface ClaimStore {
  /** Earliest next_exec among pending ops (null when none): how long the loop may sleep. */
  nextDueAt(): Promise<number | null>;
  /** Batched CAS claim of up to `limit` pending ops due at `now`. */
  claimDue(args: ClaimDueArgs): Promise<ClaimedOp[]>;
  /** CAS claim of one op by id (rowcount checked); null when another process won or it is not due. */
  claimOne(args: ClaimOneArgs): Promise<ClaimedOp | null>;
  /** Extend the leases of ops this owner holds; returns the ids still held. */
  renewLeases(args: RenewLeasesArgs): Promise<string[]>;
  /** Running ops whose lease expired become claimable again, flagged as reclaimed. */
  reclaimExpired(args: ReclaimExpiredArgs): Promise<number>;
  /**
   * Give a claimed op back without consuming its attempt (infra, ambiguous, shutdown). A held
   * operator request (after_run) applies if nothing of the run may land.
   */
  releaseOp(args: ReleaseOpArgs): Promise<boolean>;
  /**
   * pending/paused ops past `expires_at` whose current run has not acted (no live ledger entry,
   * not reclaimed) → expired, with an `expired` attempt row each. Returns how many. Run by the
   * crank even while paused, so an op reads `expired` on time.
   */
  expireDue(args: ExpireDueArgs): Promise<number>;
}

/** Ending attempts (crank). */
export interface FinishStore {
  /**
   * Apply the end of an attempt: record it and move the op per `transition`. False if not owned.
   * `event`, when given, is written to the outbox in the same transaction (as enqueueOutbox does:
   * ignored when its event_id exists), only when the finish applies; nothing when it returns false.
   */
  finishAttempt(args: FinishAttemptArgs): Promise<boolean>;
  /**
   * finishAttempt for a batch, in ONE transaction: entry i gets exactly finishAttempt's
   * semantics and ownership guard (applied in order) and result i says whether it was applied.
   * A thrown error means nothing of the batch was written. The crank's hot path: one commit per
   * batch of ended attempts.
   */
  finishAttempts(batch: FinishAttemptArgs[]): Promise<boolean[]>;
  /** Record a run skipped by the misfire policy or expired (attempt history only). */
  recordAttempt(attempt: AttemptRecord): Promise<void>;
}

/** The executor's ledger (see glossary: ledger entry). */
export interface LedgerStore {
  /**
   * Write an entry before its first send. With `guard`, only while the op is `running` under
   * `guard.owner`, in one transaction with that check (COURIER__OP__LEASE_LOST otherwise): an
   * op cancelled or lost meanwhile never gets a transaction that could land.
   */
  putLedgerEntry(entry: LedgerEntry, guard?: LedgerPutGuard): Promise<void>;
  /**
   * putLedgerEntry with its guard for a batch, in ONE transaction (the hot path: one commit for
   * a batch of signed transactions, before any of them is sent). Entry i is written only while
   * its op is `running` under its owner; result i is "ok", "lease_lost" (nothing written) or
   * "conflict" (that (op, run, seq) or signature exists). A thrown error means nothing was written.
   */
  putLedgerEntries(batch: PutLedgerEntryArgs[]): Promise<LedgerPutResult[]>;
  updateLedgerEntry(args: UpdateLedgerEntryArgs): Promise<void>;
  getLedgerEntries(op_id: string, run: number): Promise<LedgerEntry[]>;
  /** Signatures recorded for an op across runs (ops show). */
  getOpLedger(op_id: string): Promise<LedgerEntry[]>;
}

/** Spend accounting, per signer per UTC day (spend guards). */
export interface SpendStore {
  /** Atomically add `lamports` to today's spend unless it would pass `cap`; returns the new total or null when refused. */
  reserveSpend(args: ReserveSpendArgs): Promise<number | null>;
  /** Give back a reservation whose transaction never landed. */
  releaseSpend(args: ReleaseSpendArgs): Promise<void>;
  spendToday(args: SpendTodayArgs): Promise<number>;
}

/** The webhook outbox: at-least-once delivery, receivers dedupe by event_id (dispatcher). */
export interface OutboxStore {
  /** Add an event to the outbox; false (nothing written) when `event_id` is already there. */
  enqueueOutbox(item: EnqueueOutboxArgs): Promise<boolean>;
  /** Lease up to `limit` undelivered items due at `now` for delivery by `owner`. */
  claimOutbox(args: ClaimOutboxArgs): Promise<OutboxItem[]>;
  markOutboxDelivered(args: MarkOutboxDeliveredArgs): Promise<void>;
  /** A failed delivery: retry at `next_attempt_at`, or give up (`dead`) after too many attempts. */
  markOutboxFailed(args: MarkOutboxFailedArgs): Promise<void>;
  outboxSummary(): Promise<OutboxSummary>;
}

/** What an operator does to ops (admin API, CLI, scheduling). */
export interface OperatorStore {
  /** Insert an op; an existing `idempotency_key` returns the first op with created=false. */
  createOp(op: NewOp): Promise<{ op: Op; created: boolean }>;
  getOp(id: string): Promise<Op | null>;
  listOps(filter: OpListFilter): Promise<OpPage>;
  getAttempts(op_id: string): Promise<AttemptRecord[]>;
  /**
   * Cancel. pending/paused/running → cancelled, unless the current run may already be on chain
   * (a ledger entry signed, sent or landed): then a one-off op is left alone
   * ({changed:false, in_flight:true}) and a recurring op gets `after_run = "cancel"` (it stops
   * after that run resolves). {changed:false} when terminal.
   */
  cancelOp(args: OpCommandArgs): Promise<OpCommandResult>;
  /**
   * dead/failed → pending, due now, for a fresh attempt: attempts reset (numbering continues via
   * attempt_base), ledger_floor past the run's entries so a new transaction is signed.
   */
  retryOp(args: OpCommandArgs): Promise<OpCommandResult>;
  /** Store the owner's signature of an op (any status); null when the op does not exist. */
  setOpIntent(args: SetOpIntentArgs): Promise<Op | null>;
  /** pending → paused; running (or a run that may land) → after_run "pause". */
  pauseOp(args: OpCommandArgs): Promise<OpCommandResult>;
  /** paused → pending (its next slot; misfire rules apply at claim); drops a held "pause". */
  resumeOp(args: OpCommandArgs): Promise<OpCommandResult>;
}

/** Instances, ticks and the stats built from them. */
export interface StatsStore {
  heartbeat(args: HeartbeatArgs): Promise<void>;
  removeInstance(instance: string): Promise<void>;
  recordTick(tick: TickSummary): Promise<void>;
  stats(args: StatsArgs): Promise<StoreStats>;
}

/** The pause / halt switch shared by every instance. */
export interface ControlStore {
  getControl(): Promise<CrankControl>;
  setPaused(args: SetPausedArgs): Promise<CrankControl>;
  setHalted(args: SetHaltedArgs): Promise<CrankControl>;
}

export interface AuditStore {
  audit(event: NewAuditEvent): Promise<void>;
  listAudit(args: ListAuditArgs): Promise<AuditEvent[]>;
}

/** Alert state: one row per condition; the transition is a CAS so one incident alerts once across instances. */
export interface AlertStore {
  getAlerts(): Promise<AlertRecord[]>;
  /**
   * Move alert `key` to `state` if it is not already there. When it changes, the outbox event
   * (if given) is enqueued in the same transaction. Returns true when this call made the change.
   */
  transitionAlert(args: TransitionAlertArgs): Promise<boolean>;
  /** Pending ops due before `before` (overdue alert): cheap, served by the due index. */
  countOverdue(args: CountOverdueArgs): Promise<number>;
}

export interface PruneArgs {
  /** Epoch ms: what ended (or was last updated) before this goes. */
  before: number;
  /** Rows per statement (one batch). */
  limit: number;
}
/** Rows one prune batch deleted, per kind. */
export interface PruneCounts {
  ops: number;
  attempts: number;
  ledger: number;
  audit: number;
  outbox: number;
  alerts: number;
}
export interface ReclaimSpaceArgs {
  /** Most free pages to hand back in this call. */
  pages: number;
}

/** Retention (COURIER_RETENTION_DAYS): batch pruning by the rules of store/prune-rules.ts. */
export interface RetentionStore {
  prune(args: PruneArgs): Promise<PruneCounts>;
  /** created_at of the oldest op kept (null when there is none). */
  oldestOpAt(): Promise<number | null>;
  /**
   * Hand free space back to the file system, a little at a time; returns the free pages left.
   * SQLite: incremental vacuum. PostgreSQL: nothing to do (autovacuum reuses the space), 0.
   */
  reclaimSpace(args: ReclaimSpaceArgs): Promise<{ freelist_pages: number }>;
}

/** The dashboard's reads, each served by an index: pages cost the same with a million ops. */
export interface DashboardStore {
  /** Pending ops due by `until`, soonest first. */
  listDueOps(args: ListDueOpsArgs): Promise<Op[]>;
  getOpByIdempotencyKey(key: string): Promise<Op | null>;
  /** Attempts that ran (not missed or expired runs), counted per outcome and bucket. */
  countAttemptOutcomes(args: CountAttemptOutcomesArgs): Promise<OutcomeCount[]>;
}

export interface StoreLifecycle {
  readonly kind: "sqlite" | "postgres";
  close(): Promise<void>;
}

/** Every role: what wiring code opens and hands out piece by piece. */
export interface Store
  extends StoreLifecycle,
    ClaimStore,
    FinishStore,
    LedgerStore,
    SpendStore,
    OutboxStore,
    OperatorStore,
    StatsStore,
    ControlStore,
    AuditStore,
    AlertStore,
    RetentionStore,
    DashboardStore {}

// ---- what each user of the store takes ----

/**
 * The crank loop: claims, finishes, the executor's ledger, its ticks and the pause switch, and
 * the one alert of a recurring op whose runs fail (on_failure "continue").
 */
export type CrankStore = ClaimStore & FinishStore & LedgerStore & StatsStore & ControlStore & Pick<AlertStore, "transitionAlert">;
/** An executor: spend accounting and the audit of what the spend guards refused. */
export type ExecutorStore = SpendStore & AuditStore;
/** The admin API and the CLI: what an operator reads and does. */
export type OperatorConsoleStore = OperatorStore &
  StatsStore &
  SpendStore &
  ControlStore &
  AuditStore &
  DashboardStore &
  Pick<LedgerStore, "getOpLedger"> &
  Pick<AlertStore, "getAlerts"> &
  Pick<RetentionStore, "oldestOpAt"> &
  Pick<OutboxStore, "outboxSummary"> &
  Pick<ClaimStore, "nextDueAt">;
