import {
  type LedgerEntry,
  type LedgerUpdateResult,
  ledgerConflict,
  ledgerEntryNotFound,
  ledgerLeaseLost,
  type SyncVerbs,
  type UpdateLedgerEntryArgs,
} from "@courier/agent";
import type { Db } from "./db.js";
import { type LedgerRow, rowToLedger } from "./row-mapping.js";

/**
 * The executor's transaction ledger. An entry is written once (before its first send) and never
 * overwritten: a second put of the same (op, run, seq) or signature is a CONFLICT, because
 * silently replacing bytes that may already be on chain would lose the truth about them.
 */
export function createLedgerVerbs(db: Db): SyncVerbs<"putLedgerEntry" | "updateLedgerEntry" | "updateLedgerEntries" | "getLedgerEntries" | "getOpLedger"> {
  const insert = db.prepare(`
    INSERT INTO ledger (op_id, run, seq, signature, wire, blockhash, last_valid_block_height, state, error, lamports, signer, created_at, updated_at)
    VALUES (@op_id, @run, @seq, @signature, @wire, @blockhash, @last_valid_block_height, @state, @error, @lamports, @signer, @created_at, @updated_at)`);
  const update = db.prepare(
    "UPDATE ledger SET state = @state, error = @error, updated_at = @now WHERE op_id = @op_id AND run = @run AND seq = @seq",
  );
  const owned = db.prepare<[string, string], { id: string }>("SELECT id FROM ops WHERE id = ? AND status = 'running' AND lease_owner = ?");
  const insertEntry = (e: LedgerEntry) => {
    try {
      insert.run({ ...e, wire: Buffer.from(e.wire.buffer, e.wire.byteOffset, e.wire.byteLength) });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE") {
        throw ledgerConflict(e, err);
      }
      throw err;
    }
  };
  // The check and the insert in one write transaction: a cancel either sees the entry (and
  // refuses) or commits first (and this put is refused): never both "cancelled" and sent.
  const guarded = db.transaction((e: LedgerEntry, owner: string) => {
    if (!owned.get(e.op_id, owner)) {
      throw ledgerLeaseLost(e, owner);
    }
    insertEntry(e);
  });
  // A batch of verdicts: one commit instead of one per entry.
  const updateMany = db.transaction((batch: readonly UpdateLedgerEntryArgs[]): LedgerUpdateResult[] =>
    batch.map((a) => (update.run(a).changes === 1 ? "ok" : "not_found")),
  );
  const byRun = db.prepare<[string, number], LedgerRow>("SELECT * FROM ledger WHERE op_id = ? AND run = ? ORDER BY seq");
  const byOp = db.prepare<[string], LedgerRow>("SELECT * FROM ledger WHERE op_id = ? ORDER BY run, seq");
  return {
    putLedgerEntry: (e, guard) => (guard ? guarded.immediate(e, guard.owner) : insertEntry(e)),
    updateLedgerEntry: (a) => {
      if (update.run(a).changes !== 1) {
        throw ledgerEntryNotFound(a);
      }
    },
    updateLedgerEntries: (batch) => (batch.length === 0 ? [] : updateMany.immediate(batch)),
    getLedgerEntries: (op_id, run) => byRun.all(op_id, run).map(rowToLedger),
    getOpLedger: (op_id) => byOp.all(op_id).map(rowToLedger),
  };
}
