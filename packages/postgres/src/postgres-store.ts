import {
  type AlertRecord,
  type AttemptRecord,
  type AuditEvent,
  type ClaimedOp,
  CourierError,
  type CrankControl,
  type FinishAttemptArgs,
  type LedgerEntry,
  type LedgerState,
  type NewOp,
  type Op,
  type OpListFilter,
  type OutboxItem,
  type Store,
  type StoreStats,
  type TickSummary,
} from "@courier/agent";
import { createDb, type Db } from "./db/db.js";
import { toStoreError, withPgRetry } from "./db/errors.js";
import { createAlertVerbs, type TransitionAlertArgs } from "./verbs/alerts.js";
import { createGetAttempts, createRecordAttempt } from "./verbs/attempts.js";
import { createAuditVerbs } from "./verbs/audit.js";
import { createCancelOp } from "./verbs/cancel-op.js";
import { createClaimDue } from "./verbs/claim-due.js";
import { createClaimOne } from "./verbs/claim-one.js";
import { createControlVerbs } from "./verbs/control.js";
import { createCountOverdue } from "./verbs/count-overdue.js";
import { createDashboardReads } from "./verbs/dashboard-reads.js";
import { createCreateOp } from "./verbs/create-op.js";
import { createFinishAttempt, createFinishAttempts } from "./verbs/finish-attempt.js";
import { foldCounters } from "./verbs/fold-counters.js";
import { createGetOp, createNextDueAt } from "./verbs/get-op.js";
import { createInstanceVerbs } from "./verbs/instances.js";
import { createLedgerVerbs } from "./verbs/ledger.js";
import { createListOps } from "./verbs/list-ops.js";
import { createOutboxVerbs } from "./verbs/outbox.js";
import { createReclaimExpired } from "./verbs/reclaim-expired.js";
import { createReleaseOp } from "./verbs/release-op.js";
import { createRenewLeases } from "./verbs/renew-leases.js";
import { createRetryOp } from "./verbs/retry-op.js";
import { createSpendVerbs } from "./verbs/spend.js";
import { createStats } from "./verbs/stats.js";
import { createRecordTick } from "./verbs/ticks.js";
import type pg from "pg";

/** Every verb, built once against one pool. */
function createVerbs(db: Db) {
  const control = createControlVerbs(db);
  return {
    createOp: createCreateOp(db),
    getOp: createGetOp(db),
    listOps: createListOps(db),
    nextDueAt: createNextDueAt(db),
    countOverdue: createCountOverdue(db),
    ...createDashboardReads(db),
    claimDue: createClaimDue(db),
    claimOne: createClaimOne(db),
    renewLeases: createRenewLeases(db),
    reclaimExpired: createReclaimExpired(db),
    finishAttempt: createFinishAttempt(db),
    finishAttempts: createFinishAttempts(db),
    releaseOp: createReleaseOp(db),
    recordAttempt: createRecordAttempt(db),
    getAttempts: createGetAttempts(db),
    cancelOp: createCancelOp(db),
    retryOp: createRetryOp(db),
    ...control,
    ...createInstanceVerbs(db),
    recordTick: createRecordTick(db),
    stats: createStats(db, (q) => control.getControl(q)),
    ...createLedgerVerbs(db),
    ...createSpendVerbs(db),
    ...createAuditVerbs(db),
    ...createOutboxVerbs(db),
    ...createAlertVerbs(db),
  };
}

type Verbs = ReturnType<typeof createVerbs>;

/**
 * The PostgreSQL store: a connection pool working inside one schema. Any number of crank
 * processes on any number of hosts may share it; the claim verbs (FOR UPDATE SKIP LOCKED and
 * owner-checked updates) keep them from executing an op twice. Every call runs through
 * `withPgRetry` (serialization failures and deadlocks retried a few times, then
 * COURIER__STORE__BUSY; a lost connection is COURIER__STORE__UNAVAILABLE).
 */
export class PostgresStore implements Store {
  readonly kind = "postgres" as const;
  /** Schema the store lives in. */
  readonly schema: string;
  private readonly pool: pg.Pool;
  private readonly v: Verbs;
  private readonly db: Db;
  private closed = false;

  constructor(pool: pg.Pool, schema: string) {
    this.pool = pool;
    this.schema = schema;
    this.db = createDb(pool);
    this.v = createVerbs(this.db);
  }

  private call<T>(fn: (v: Verbs) => Promise<T>): Promise<T> {
    return withPgRetry(() => {
      // Checked on every try: the store may be closed while a retry is sleeping.
      if (this.closed) throw new CourierError("COURIER__STORE__UNAVAILABLE", "store is closed", { schema: this.schema });
      return fn(this.v);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.pool.end();
    } catch (e) {
      throw toStoreError(e);
    }
  }

  createOp(op: NewOp): Promise<{ op: Op; created: boolean }> {
    return this.call((v) => v.createOp(op));
  }
  getOp(id: string): Promise<Op | null> {
    return this.call((v) => v.getOp(id));
  }
  listOps(filter: OpListFilter): Promise<{ ops: Op[]; next_cursor: string | null }> {
    return this.call((v) => v.listOps(filter));
  }
  nextDueAt(): Promise<number | null> {
    return this.call((v) => v.nextDueAt());
  }
  /** Pending ops due before `before` (the alert monitor's overdue check). */
  countOverdue(args: { before: number }): Promise<number> {
    return this.call((v) => v.countOverdue(args));
  }

  listDueOps(args: { until: number; limit: number }): Promise<Op[]> {
    return this.call((v) => v.listDueOps(args));
  }
  getOpByIdempotencyKey(key: string): Promise<Op | null> {
    return this.call((v) => v.getOpByIdempotencyKey(key));
  }
  countAttemptOutcomes(args: { since: number; until: number; bucket_ms: number }): Promise<Array<{ bucket: number; outcome: string; n: number }>> {
    return this.call((v) => v.countAttemptOutcomes(args));
  }

  claimDue(args: { now: number; limit: number; owner: string; lease_ms: number }): Promise<ClaimedOp[]> {
    return this.call((v) => v.claimDue(args));
  }
  claimOne(args: { id: string; now: number; owner: string; lease_ms: number }): Promise<ClaimedOp | null> {
    return this.call((v) => v.claimOne(args));
  }
  renewLeases(args: { ids: string[]; owner: string; now: number; lease_ms: number }): Promise<string[]> {
    return this.call((v) => v.renewLeases(args));
  }
  reclaimExpired(args: { now: number; limit: number }): Promise<number> {
    return this.call((v) => v.reclaimExpired(args));
  }
  finishAttempt(args: FinishAttemptArgs): Promise<boolean> {
    return this.call((v) => v.finishAttempt(args));
  }
  finishAttempts(batch: FinishAttemptArgs[]): Promise<boolean[]> {
    return this.call((v) => v.finishAttempts(batch));
  }
  releaseOp(args: { id: string; owner: string; now: number; next_exec: number; last_error: string | null }): Promise<boolean> {
    return this.call((v) => v.releaseOp(args));
  }
  recordAttempt(attempt: AttemptRecord): Promise<void> {
    return this.call((v) => v.recordAttempt(attempt));
  }
  getAttempts(op_id: string): Promise<AttemptRecord[]> {
    return this.call((v) => v.getAttempts(op_id));
  }

  cancelOp(args: { id: string; now: number }): Promise<{ op: Op; changed: boolean } | null> {
    return this.call((v) => v.cancelOp(args));
  }
  retryOp(args: { id: string; now: number }): Promise<{ op: Op; changed: boolean } | null> {
    return this.call((v) => v.retryOp(args));
  }

  getControl(): Promise<CrankControl> {
    return this.call((v) => v.getControl());
  }
  setPaused(args: { paused: boolean; by: string; now: number }): Promise<CrankControl> {
    return this.call((v) => v.setPaused(args));
  }
  setHalted(args: { halted: boolean; reason: string | null; now: number }): Promise<CrankControl> {
    return this.call((v) => v.setHalted(args));
  }

  heartbeat(args: { instance: string; started_at: number; now: number; in_flight: number; ticked: boolean }): Promise<void> {
    return this.call((v) => v.heartbeat(args));
  }
  removeInstance(instance: string): Promise<void> {
    return this.call((v) => v.removeInstance(instance));
  }
  recordTick(tick: TickSummary): Promise<void> {
    return this.call((v) => v.recordTick(tick));
  }
  stats(args: { ticks: number; now: number }): Promise<StoreStats> {
    return this.call((v) => v.stats(args));
  }

  putLedgerEntry(entry: LedgerEntry): Promise<void> {
    return this.call((v) => v.putLedgerEntry(entry));
  }
  updateLedgerEntry(args: { op_id: string; run: number; seq: number; state: LedgerState; error: string | null; now: number }): Promise<void> {
    return this.call((v) => v.updateLedgerEntry(args));
  }
  getLedgerEntries(op_id: string, run: number): Promise<LedgerEntry[]> {
    return this.call((v) => v.getLedgerEntries(op_id, run));
  }
  getOpLedger(op_id: string): Promise<LedgerEntry[]> {
    return this.call((v) => v.getOpLedger(op_id));
  }

  reserveSpend(args: { signer: string; day: string; lamports: number; cap: number | null }): Promise<number | null> {
    return this.call((v) => v.reserveSpend(args));
  }
  releaseSpend(args: { signer: string; day: string; lamports: number }): Promise<void> {
    return this.call((v) => v.releaseSpend(args));
  }
  spendToday(args: { day: string }): Promise<number> {
    return this.call((v) => v.spendToday(args));
  }

  audit(event: Omit<AuditEvent, "id">): Promise<void> {
    return this.call((v) => v.audit(event));
  }
  listAudit(args: { limit: number; kind?: string }): Promise<AuditEvent[]> {
    return this.call((v) => v.listAudit(args));
  }

  enqueueOutbox(item: { event_id: string; type: string; payload: Record<string, unknown>; now: number }): Promise<boolean> {
    return this.call((v) => v.enqueueOutbox(item));
  }
  claimOutbox(args: { now: number; limit: number; owner: string; lease_ms: number }): Promise<OutboxItem[]> {
    return this.call((v) => v.claimOutbox(args));
  }
  markOutboxDelivered(args: { id: number; owner: string; now: number }): Promise<void> {
    return this.call((v) => v.markOutboxDelivered(args));
  }
  markOutboxFailed(args: { id: number; owner: string; now: number; error: string; next_attempt_at: number; dead: boolean }): Promise<void> {
    return this.call((v) => v.markOutboxFailed(args));
  }
  outboxSummary(): Promise<{ pending: number; delivered: number; dead: number; oldest_pending_at: number | null }> {
    return this.call((v) => v.outboxSummary());
  }

  getAlerts(): Promise<AlertRecord[]> {
    return this.call((v) => v.getAlerts());
  }
  transitionAlert(args: TransitionAlertArgs): Promise<boolean> {
    return this.call((v) => v.transitionAlert(args));
  }

  // PostgreSQL-only extras (doctor, migrate-store, tests)

  /** Fold appended count deltas into the running totals now (also done now and then by ticks and stats). */
  foldCounters(): Promise<boolean> {
    return this.call(() => foldCounters(this.db));
  }

  /** Round trip to the server: `select 1` (doctor, readiness). */
  async ping(): Promise<void> {
    await this.call(async () => {
      await this.pool.query("SELECT 1");
    });
  }
}
