import type { PruneArgs, PruneCounts } from "@courier/agent";
import { TERMINAL_SQL } from "@courier/agent";
import type { Db } from "./db.js";

/**
 * One retention batch (see ../prune-rules.ts for what goes and why). Each statement deletes at
 * most `limit` rows through an index on its time column and commits on its own, so no batch
 * holds the write lock for long; only the ops step (op rows, their attempts, then their ledger
 * entries) is one transaction, so a ledger entry never outlives the op by accident nor dies first.
 */
export function createPrune(db: Db): (args: PruneArgs) => PruneCounts {
  const terminalOps = db.prepare<[number, number], { id: string }>(
    `SELECT id FROM ops INDEXED BY ops_terminal_updated WHERE status IN ${TERMINAL_SQL} AND updated_at < ? LIMIT ?`,
  );
  const deleteAttemptsOf = db.prepare<[string]>("DELETE FROM attempts WHERE op_id = ?");
  const deleteOp = db.prepare<[string]>("DELETE FROM ops WHERE id = ?");
  const deleteLedgerOf = db.prepare<[string]>("DELETE FROM ledger WHERE op_id = ?");
  const pruneOps = db.transaction((before: number, limit: number) => {
    const counts = { ops: 0, attempts: 0, ledger: 0 };
    for (const { id } of terminalOps.all(before, limit)) {
      counts.attempts += deleteAttemptsOf.run(id).changes;
      counts.ops += deleteOp.run(id).changes;
      counts.ledger += deleteLedgerOf.run(id).changes;
    }
    return counts;
  });
  // Finished runs of ops that live on (a recurring op runs for years).
  const oldAttempts = db.prepare<[number, number]>(`
    DELETE FROM attempts WHERE id IN (
      SELECT a.id FROM attempts a INDEXED BY attempts_ended JOIN ops o ON o.id = a.op_id
      WHERE a.ended_at < ? AND a.run < o.run LIMIT ?)`);
  // A finished run's ledger entries go only after that run's attempts (never before its history).
  const oldLedger = db.prepare<[number, number]>(`
    DELETE FROM ledger WHERE rowid IN (
      SELECT l.rowid FROM ledger l INDEXED BY ledger_updated JOIN ops o ON o.id = l.op_id
      WHERE l.updated_at < ? AND l.state IN ('landed','failed','expired') AND l.run < o.run
        AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.op_id = l.op_id AND a.run = l.run)
      LIMIT ?)`);
  const oldAudit = db.prepare<[number, number]>("DELETE FROM audit WHERE id IN (SELECT id FROM audit INDEXED BY audit_at WHERE at < ? LIMIT ?)");
  const oldOutbox = db.prepare<[number, number]>(
    "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox INDEXED BY outbox_delivered WHERE delivered_at IS NOT NULL AND delivered_at < ? LIMIT ?)",
  );
  const oldAlerts = db.prepare<[number, number]>("DELETE FROM alerts WHERE key IN (SELECT key FROM alerts WHERE state = 'resolved' AND updated_at < ? LIMIT ?)");
  const oldSpend = db.prepare<[string]>("DELETE FROM spend WHERE day < ?");

  return ({ before, limit }) => {
    const ops = pruneOps(before, limit);
    // Old runs of living ops are looked for once no terminal op is left to prune: their search
    // walks the old part of the time index, which the terminal ops' own rows would fill (a 1M-row
    // backlog made every batch scan it whole).
    const opsDone = ops.ops < limit;
    const attempts = ops.attempts + (opsDone ? oldAttempts.run(before, limit).changes : 0);
    const ledger = ops.ledger + (opsDone ? oldLedger.run(before, limit).changes : 0);
    const audit = oldAudit.run(before, limit).changes;
    const outbox = oldOutbox.run(before, limit).changes;
    const alerts = oldAlerts.run(before, limit).changes;
    oldSpend.run(new Date(before).toISOString().slice(0, 10));
    return { ops: ops.ops, attempts, ledger, audit, outbox, alerts };
  };
}

/** When the oldest op still kept was created (stats: what retention has left). */
export function createOldestOpAt(db: Db): () => number | null {
  const oldest = db.prepare<[], { t: number | null }>("SELECT MIN(created_at) AS t FROM ops");
  return () => oldest.get()?.t ?? null;
}

/**
 * Incremental vacuum: up to `pages` free pages back to the file system. A store created before
 * auto_vacuum was set (mode NONE) has nothing to hand back: its free pages are reused by new
 * rows, so the file stays at its high-water mark instead of growing.
 */
export function createReclaimSpace(db: Db): (args: { pages: number }) => { freelist_pages: number } {
  return ({ pages }) => {
    if (Number(db.pragma("auto_vacuum", { simple: true })) !== 2) return { freelist_pages: 0 };
    db.pragma(`incremental_vacuum(${Math.max(1, Math.floor(pages))})`);
    return { freelist_pages: Number(db.pragma("freelist_count", { simple: true })) };
  };
}
