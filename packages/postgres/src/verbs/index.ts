import type { VerbTable } from "@courier/agent";
import type { Db } from "../db/db.js";
import { createAlertVerbs } from "./alerts.js";
import { createGetAttempts, createRecordAttempt } from "./attempts.js";
import { createAuditVerbs } from "./audit.js";
import { createCancelOp } from "./cancel-op.js";
import { createClaimDue } from "./claim-due.js";
import { createClaimOne } from "./claim-one.js";
import { createControlVerbs } from "./control.js";
import { createCountOverdue } from "./count-overdue.js";
import { createCreateOp } from "./create-op.js";
import { createExpireDue } from "./expire-due.js";
import { createDashboardReads } from "./dashboard-reads.js";
import { createFinishAttempt, createFinishAttempts } from "./finish-attempt.js";
import { createGetOp, createNextDueAt } from "./get-op.js";
import { createInstanceVerbs } from "./instances.js";
import { createLedgerVerbs } from "./ledger.js";
import { createPutLedgerEntries } from "./put-ledger-entries.js";
import { createListOps } from "./list-ops.js";
import { createOutboxVerbs } from "./outbox.js";
import { createOldestOpAt, createPrune } from "./prune.js";
import { createReclaimExpired } from "./reclaim-expired.js";
import { createReleaseOp } from "./release-op.js";
import { createRenewLeases } from "./renew-leases.js";
import { createPauseOp, createResumeOp } from "./pause-op.js";
import { createRetryOp } from "./retry-op.js";
import { createSetOpIntent } from "./set-op-intent.js";
import { createSpendVerbs } from "./spend.js";
import { createStats } from "./stats.js";
import { createRecordTick } from "./ticks.js";

/**
 * The PostgreSQL store's verbs, one row each, built once against one pool. The `write` flags
 * are checked against the store's one classification (STORE_VERB_KINDS) by the type.
 */
export function createPostgresVerbs(db: Db): VerbTable {
  const control = createControlVerbs(db);
  const dashboard = createDashboardReads(db);
  const instances = createInstanceVerbs(db);
  const ledger = createLedgerVerbs(db);
  const spend = createSpendVerbs(db);
  const audit = createAuditVerbs(db);
  const outbox = createOutboxVerbs(db);
  const alerts = createAlertVerbs(db);
  return {
    nextDueAt: { write: false, run: createNextDueAt(db) },
    claimDue: { write: true, run: createClaimDue(db) },
    claimOne: { write: true, run: createClaimOne(db) },
    renewLeases: { write: true, run: createRenewLeases(db) },
    reclaimExpired: { write: true, run: createReclaimExpired(db) },
    releaseOp: { write: true, run: createReleaseOp(db) },
    expireDue: { write: true, run: createExpireDue(db) },
    finishAttempt: { write: true, run: createFinishAttempt(db) },
    finishAttempts: { write: true, run: createFinishAttempts(db) },
    recordAttempt: { write: true, run: createRecordAttempt(db) },
    putLedgerEntry: { write: true, run: ledger.putLedgerEntry },
    putLedgerEntries: { write: true, run: createPutLedgerEntries(db) },
    updateLedgerEntry: { write: true, run: ledger.updateLedgerEntry },
    updateLedgerEntries: { write: true, run: ledger.updateLedgerEntries },
    getLedgerEntries: { write: false, run: ledger.getLedgerEntries },
    getOpLedger: { write: false, run: ledger.getOpLedger },
    reserveSpend: { write: true, run: spend.reserveSpend },
    reserveSpends: { write: true, run: spend.reserveSpends },
    releaseSpend: { write: true, run: spend.releaseSpend },
    spendToday: { write: false, run: spend.spendToday },
    enqueueOutbox: { write: true, run: outbox.enqueueOutbox },
    claimOutbox: { write: true, run: outbox.claimOutbox },
    markOutboxDelivered: { write: true, run: outbox.markOutboxDelivered },
    markOutboxFailed: { write: true, run: outbox.markOutboxFailed },
    outboxSummary: { write: false, run: outbox.outboxSummary },
    createOp: { write: true, run: createCreateOp(db) },
    getOp: { write: false, run: createGetOp(db) },
    listOps: { write: false, run: createListOps(db) },
    getAttempts: { write: false, run: createGetAttempts(db) },
    cancelOp: { write: true, run: createCancelOp(db) },
    retryOp: { write: true, run: createRetryOp(db) },
    setOpIntent: { write: true, run: createSetOpIntent(db) },
    pauseOp: { write: true, run: createPauseOp(db) },
    resumeOp: { write: true, run: createResumeOp(db) },
    heartbeat: { write: true, run: instances.heartbeat },
    removeInstance: { write: true, run: instances.removeInstance },
    recordTick: { write: true, run: createRecordTick(db) },
    stats: { write: false, run: createStats(db, (q) => control.getControl(q)) },
    getControl: { write: false, run: () => control.getControl() },
    setPaused: { write: true, run: control.setPaused },
    setHalted: { write: true, run: control.setHalted },
    audit: { write: true, run: audit.audit },
    listAudit: { write: false, run: audit.listAudit },
    getAlerts: { write: false, run: alerts.getAlerts },
    transitionAlert: { write: true, run: alerts.transitionAlert },
    countOverdue: { write: false, run: createCountOverdue(db) },
    prune: { write: true, run: createPrune(db) },
    oldestOpAt: { write: false, run: createOldestOpAt(db) },
    // Autovacuum makes pruned space reusable; nothing for Courier to hand back.
    reclaimSpace: { write: true, run: async () => ({ freelist_pages: 0 }) },
    listDueOps: { write: false, run: dashboard.listDueOps },
    getOpByIdempotencyKey: { write: false, run: dashboard.getOpByIdempotencyKey },
    countAttemptOutcomes: { write: false, run: dashboard.countAttemptOutcomes },
  };
}
