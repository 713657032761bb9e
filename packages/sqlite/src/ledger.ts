import { CourierError, type SyncVerbs } from "@courier/agent";
import type { Db } from "./db.js";
import { type LedgerRow, rowToLedger } from "./row-mapping.js";

/**
 * The executor's transaction ledger. An entry is written once (before its first send) and never
 * overwritten: a second put of the same (op, run, seq) or signature is a CONFLICT, because
 * silently replacing bytes that may already be on chain would lose the truth about them.
 */
export function createLedgerVerbs(db: Db): SyncVerbs<"putLedgerEntry" | "updateLedgerEntry" | "getLedgerEntries" | "getOpLedger"> {
  const insert = db.prepare(`
    INSERT INTO ledger (op_id, run, seq, signature, wire, blockhash, last_valid_block_height, state, error, lamports, signer, created_at, updated_at)
    VALUES (@op_id, @run, @seq, @signature, @wire, @blockhash, @last_valid_block_height, @state, @error, @lamports, @signer, @created_at, @updated_at)`);
  const update = db.prepare(
    "UPDATE ledger SET state = @state, error = @error, updated_at = @now WHERE op_id = @op_id AND run = @run AND seq = @seq",
  );
  const byRun = db.prepare<[string, number], LedgerRow>("SELECT * FROM ledger WHERE op_id = ? AND run = ? ORDER BY seq");
  const byOp = db.prepare<[string], LedgerRow>("SELECT * FROM ledger WHERE op_id = ? ORDER BY run, seq");
  return {
    putLedgerEntry: (e) => {
      try {
        insert.run({ ...e, wire: Buffer.from(e.wire.buffer, e.wire.byteOffset, e.wire.byteLength) });
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE") {
          throw new CourierError(
            "COURIER__CONFLICT",
            `ledger entry ${e.op_id}/${e.run}/${e.seq} or its signature already exists`,
            { op_id: e.op_id, run: e.run, seq: e.seq, signature: e.signature },
            { cause: err },
          );
        }
        throw err;
      }
    },
    updateLedgerEntry: (a) => {
      if (update.run(a).changes !== 1) {
        throw new CourierError("COURIER__NOT_FOUND", `no ledger entry ${a.op_id}/${a.run}/${a.seq}`, {
          op_id: a.op_id,
          run: a.run,
          seq: a.seq,
        });
      }
    },
    getLedgerEntries: (op_id, run) => byRun.all(op_id, run).map(rowToLedger),
    getOpLedger: (op_id) => byOp.all(op_id).map(rowToLedger),
  };
}
