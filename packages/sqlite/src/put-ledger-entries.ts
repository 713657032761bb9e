import type { LedgerPutResult, PutLedgerEntryArgs, SyncVerbs } from "@courier/agent";
import type { Db } from "./db.js";

/**
 * putLedgerEntries: a batch of guarded ledger writes in ONE immediate transaction (one commit,
 * one fsync for a batch of signed transactions). Each entry gets putLedgerEntry's guard: the
 * ownership check and the insert in the same write transaction, so a cancel either sees the
 * entry or commits first. A refused entry (lease lost, conflict) leaves the others written.
 */
export function createPutLedgerEntries(db: Db): SyncVerbs<"putLedgerEntries">["putLedgerEntries"] {
  const owned = db.prepare<[string, string], { id: string }>("SELECT id FROM ops WHERE id = ? AND status = 'running' AND lease_owner = ?");
  const insert = db.prepare(`
    INSERT INTO ledger (op_id, run, seq, signature, wire, blockhash, last_valid_block_height, state, error, lamports, signer, created_at, updated_at)
    VALUES (@op_id, @run, @seq, @signature, @wire, @blockhash, @last_valid_block_height, @state, @error, @lamports, @signer, @created_at, @updated_at)`);
  const put = (a: PutLedgerEntryArgs): LedgerPutResult => {
    const e = a.entry;
    if (!owned.get(e.op_id, a.owner)) return "lease_lost";
    try {
      insert.run({ ...e, wire: Buffer.from(e.wire.buffer, e.wire.byteOffset, e.wire.byteLength) });
      return "ok";
    } catch (err) {
      // A failed statement rolls back only itself: the batch's other entries stand.
      const code = (err as { code?: unknown }).code;
      if (code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE") return "conflict";
      throw err;
    }
  };
  const batch = db.transaction((entries: PutLedgerEntryArgs[]) => entries.map(put));
  return (entries) => (entries.length === 0 ? [] : batch.immediate(entries));
}
