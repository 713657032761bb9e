import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { CourierError, coerceError } from "../../errors.js";
import type {
  AlertRecord,
  AttemptRecord,
  AuditEvent,
  ClaimedOp,
  CrankControl,
  FinishAttemptArgs,
  LedgerEntry,
  LedgerState,
  NewOp,
  Op,
  OpListFilter,
  OutboxItem,
  Store,
  StoreStats,
  TickSummary,
} from "../../types.js";
import { createGetAttempts, createRecordAttempt } from "./attempts.js";
import { createAlertVerbs, type TransitionAlertArgs } from "./alerts.js";
import { createAuditVerbs } from "./audit.js";
import { withBusyRetry } from "./busy-retry.js";
import { createCancelOp } from "./cancel-op.js";
import { createClaimDue, explainDueLookup } from "./claim-due.js";
import { createClaimOne } from "./claim-one.js";
import { createControlVerbs } from "./control.js";
import { createCountOverdue } from "./count-overdue.js";
import { createCreateOp } from "./create-op.js";
import { createDashboardReads } from "./dashboard-reads.js";
import type { Db } from "./db.js";
import { createFinishAttempt } from "./finish-attempt.js";
import { createFinishAttempts } from "./finish-attempts.js";
import { createGetOp, createNextDueAt } from "./get-op.js";
import { createInstanceVerbs } from "./instances.js";
import { createLedgerVerbs } from "./ledger.js";
import { createListOps } from "./list-ops.js";
import { type ClaimOutboxArgs, createOutboxVerbs, type EnqueueOutboxArgs, type MarkOutboxFailedArgs, type OutboxSummary } from "./outbox.js";
import { createReclaimExpired } from "./reclaim-expired.js";
import { createReleaseOp } from "./release-op.js";
import { createRenewLeases } from "./renew-leases.js";
import { createRetryOp } from "./retry-op.js";
import { createSpendVerbs } from "./spend.js";
import { createStats } from "./stats.js";
import { createRecordTick } from "./ticks.js";

/** Every verb, prepared once against one connection. */
function createVerbs(db: Db) {
  const control = createControlVerbs(db);
  return {
    createOp: createCreateOp(db),
    getOp: createGetOp(db),
    listOps: createListOps(db),
    nextDueAt: createNextDueAt(db),
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
    stats: createStats(db, control.getControl),
    ...createLedgerVerbs(db),
    ...createSpendVerbs(db),
    ...createAuditVerbs(db),
    ...createOutboxVerbs(db),
    ...createAlertVerbs(db),
    countOverdue: createCountOverdue(db),
    ...createDashboardReads(db),
  };
}

type Verbs = ReturnType<typeof createVerbs>;

/**
 * The SQLite store: one better-sqlite3 connection, statements prepared at open. Every call runs
 * through `withBusyRetry` (SQLITE_BUSY retried a few times, then COURIER__STORE__BUSY). Several
 * processes (or several SqliteStore instances) may share one file; the claim verbs are what keep
 * them from executing an op twice.
 */
export class SqliteStore implements Store {
  readonly kind = "sqlite" as const;
  readonly path: string;
  private readonly db: Db;
  private readonly v: Verbs;

  private readonly busyRetryMs: readonly number[] | undefined;

  constructor(db: Db, path: string, opts: { busyRetryMs?: readonly number[] } = {}) {
    this.db = db;
    this.path = path;
    this.v = createVerbs(db);
    this.busyRetryMs = opts.busyRetryMs;
  }

  private call<T>(fn: (v: Verbs) => T): Promise<T> {
    return withBusyRetry(() => {
      // Checked on every try: the store may be closed while a busy retry is sleeping.
      if (!this.db.open) throw new CourierError("COURIER__STORE__UNAVAILABLE", "store is closed", { path: this.path });
      return fn(this.v);
    }, this.busyRetryMs);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
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
  /** finishAttempt for many attempts in one transaction; result i is entry i's. */
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

  enqueueOutbox(item: EnqueueOutboxArgs): Promise<boolean> {
    return this.call((v) => v.enqueueOutbox(item));
  }
  claimOutbox(args: ClaimOutboxArgs): Promise<OutboxItem[]> {
    return this.call((v) => v.claimOutbox(args));
  }
  markOutboxDelivered(args: { id: number; owner: string; now: number }): Promise<void> {
    return this.call((v) => v.markOutboxDelivered(args));
  }
  markOutboxFailed(args: MarkOutboxFailedArgs): Promise<void> {
    return this.call((v) => v.markOutboxFailed(args));
  }
  outboxSummary(): Promise<OutboxSummary> {
    return this.call((v) => v.outboxSummary());
  }

  getAlerts(): Promise<AlertRecord[]> {
    return this.call((v) => v.getAlerts());
  }
  transitionAlert(args: TransitionAlertArgs): Promise<boolean> {
    return this.call((v) => v.transitionAlert(args));
  }

  /** Pending ops due before `before` (alerting on overdue ops; proposed for the Store interface). */
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

  // SQLite-only extras (doctor, backup, tests)

  /** `PRAGMA integrity_check`; a corrupt file is reported, not thrown. */
  async integrityCheck(): Promise<{ ok: boolean; detail: string }> {
    try {
      const rows = await this.call(() => this.db.pragma("integrity_check") as Array<{ integrity_check: string }>);
      const detail = rows.map((r) => r.integrity_check).join("\n");
      return { ok: detail === "ok", detail };
    } catch (e) {
      const err = coerceError(e);
      if (err.code === "COURIER__STORE__CORRUPT") return { ok: false, detail: err.message };
      throw err;
    }
  }

  /** Online backup (consistent while other connections keep writing) to a new file. */
  async backup(toPath: string): Promise<void> {
    if (resolve(toPath) === resolve(this.path)) {
      throw new CourierError("COURIER__VALIDATION", "backup target is the store itself", { field: "path" });
    }
    try {
      mkdirSync(dirname(resolve(toPath)), { recursive: true });
      await this.db.backup(toPath);
    } catch (e) {
      throw coerceError(e, "COURIER__STORE__UNAVAILABLE");
    }
  }

  /** EXPLAIN QUERY PLAN detail rows of the due-op lookup the claim uses. */
  explainDueLookup(): string[] {
    return explainDueLookup(this.db);
  }
}
