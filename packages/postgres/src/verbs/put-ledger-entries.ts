import type { LedgerPutResult, PutLedgerEntryArgs, Store } from "@courier/agent";
import type { Db } from "../db/db.js";
import { toLedgerParams } from "./ledger.js";

/**
 * putLedgerEntries: a batch of guarded ledger writes in ONE transaction. The batch's op rows are
 * held FOR SHARE until the inserts commit (a cancel, FOR UPDATE, either waits and then sees the
 * entries or commits first and they are refused). A conflicting entry is skipped (ON CONFLICT DO
 * NOTHING keeps the transaction alive) and reported; the others are written.
 */
export function createPutLedgerEntries(db: Db): Store["putLedgerEntries"] {
  return async (batch) => {
    if (batch.length === 0) return [];
    return db.tx(async (q) => {
      const ids = [...new Set(batch.map((a) => a.entry.op_id))];
      const { rows } = await q.query<{ id: string; lease_owner: string }>(
        "SELECT id, lease_owner FROM ops WHERE id = ANY($1::text[]) AND status = 'running' ORDER BY id FOR SHARE",
        [ids],
      );
      const ownerOf = new Map(rows.map((r) => [r.id, r.lease_owner]));
      const results: LedgerPutResult[] = [];
      for (const a of batch) results.push(ownerOf.get(a.entry.op_id) === a.owner ? await insert(q, a) : "lease_lost");
      return results;
    });
  };
}

async function insert(q: Parameters<Parameters<Db["tx"]>[0]>[0], { entry: e }: PutLedgerEntryArgs): Promise<LedgerPutResult> {
  const res = await q.query(
    `INSERT INTO ledger (op_id, run, seq, signature, wire, blockhash, last_valid_block_height, state, error, lamports, signer, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT DO NOTHING`,
    toLedgerParams(e),
  );
  return res.rowCount === 1 ? "ok" : "conflict";
}
