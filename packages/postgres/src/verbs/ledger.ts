import {
  type LedgerEntry,
  type LedgerUpdateResult,
  ledgerConflict,
  ledgerEntryNotFound,
  ledgerLeaseLost,
  type Store,
  type UpdateLedgerEntryArgs,
} from "@courier/agent";
import type { Db, Queryable } from "../db/db.js";
import { isUniqueViolation } from "../db/errors.js";
import { type LedgerRow, rowToLedger } from "../db/row-mapping.js";

/** The INSERT parameters $1..$13 of a ledger row, in column order. */
export function toLedgerParams(e: LedgerEntry): unknown[] {
  const wire = Buffer.from(e.wire.buffer, e.wire.byteOffset, e.wire.byteLength);
  return [e.op_id, e.run, e.seq, e.signature, wire, e.blockhash, e.last_valid_block_height, e.state, e.error, e.lamports, e.signer, e.created_at, e.updated_at];
}

async function insertEntry(q: Queryable, e: LedgerEntry): Promise<void> {
  try {
    await q.query(
      `INSERT INTO ledger (op_id, run, seq, signature, wire, blockhash, last_valid_block_height, state, error, lamports, signer, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      toLedgerParams(e),
    );
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw ledgerConflict(e, err);
    }
    throw err;
  }
  }

/**
 * The executor's transaction ledger (wire bytes as BYTEA). An entry is written once (before its
 * first send) and never overwritten: a second put of the same (op, run, seq) or signature is a
 * CONFLICT, because silently replacing bytes that may already be on chain would lose the truth.
 */
const UPDATE_SQL = "UPDATE ledger SET state = $1, error = $2, updated_at = $3 WHERE op_id = $4 AND run = $5 AND seq = $6";
const toUpdateParams = (a: UpdateLedgerEntryArgs) => [a.state, a.error, a.now, a.op_id, a.run, a.seq];

export function createLedgerVerbs(db: Db): Pick<Store, "putLedgerEntry" | "updateLedgerEntry" | "updateLedgerEntries" | "getLedgerEntries" | "getOpLedger"> {
  return {
  putLedgerEntry: async (e, guard) => {
    if (!guard) return insertEntry(db.pool, e);
    // The op row held FOR SHARE until the insert commits: a cancel (FOR UPDATE) either waits
    // and then sees this entry, or commits first and this put is refused.
    await db.tx(async (q) => {
      const owned = await q.query("SELECT 1 FROM ops WHERE id = $1 AND status = 'running' AND lease_owner = $2 FOR SHARE", [e.op_id, guard.owner]);
      if (owned.rowCount !== 1) {
        throw ledgerLeaseLost(e, guard.owner);
      }
      await insertEntry(q, e);
    });
  },
  updateLedgerEntry: async (a) => {
    const res = await db.pool.query(UPDATE_SQL, toUpdateParams(a));
    if (res.rowCount !== 1) {
      throw ledgerEntryNotFound(a);
    }
  },
  // A batch of verdicts in one transaction (each op's entries belong to the instance holding it,
  // so two batches never touch the same rows).
  updateLedgerEntries: async (batch) => {
    if (batch.length === 0) return [];
    return db.tx(async (q) => {
      const results: LedgerUpdateResult[] = [];
      for (const a of batch) results.push((await q.query(UPDATE_SQL, toUpdateParams(a))).rowCount === 1 ? "ok" : "not_found");
      return results;
    });
  },
  getLedgerEntries: async (op_id, run) => {
    const { rows } = await db.pool.query<LedgerRow>("SELECT * FROM ledger WHERE op_id = $1 AND run = $2 ORDER BY seq", [op_id, run]);
    return rows.map(rowToLedger);
  },
  getOpLedger: async (op_id) => {
    const { rows } = await db.pool.query<LedgerRow>("SELECT * FROM ledger WHERE op_id = $1 ORDER BY run, seq", [op_id]);
    return rows.map(rowToLedger);
  },
  };
}
