import type { ReclaimExpiredArgs } from "@courier/agent";
import type { Db } from "./db.js";

/**
 * Running ops whose lease expired (their owner died) go back to pending, due now, flagged
 * `reclaimed` so the next claim tells the executor to resume from the ledger. The dead attempt
 * is refunded (attempts - 1) because the reclaiming claim counts it again: a crash does not burn
 * two attempts. Pinned to the partial index of running ops by lease_until (see claim-due.ts).
 */
export function createReclaimExpired(db: Db): (args: ReclaimExpiredArgs) => number {
  const reclaim = db.prepare<[number, number, number, number, number]>(`
    UPDATE ops SET status = 'pending', next_exec = ?, attempts = MAX(attempts - 1, 0), reclaimed = 1,
      lease_owner = NULL, lease_until = NULL, updated_at = ?
    WHERE id IN (SELECT id FROM ops INDEXED BY ops_lease WHERE status = 'running' AND lease_until < ? ORDER BY lease_until LIMIT ?)
      AND +status = 'running' AND +lease_until < ?`);
  const tx = db.transaction((a: ReclaimExpiredArgs) => reclaim.run(a.now, a.now, a.now, a.limit, a.now).changes);
  return (a) => (a.limit <= 0 ? 0 : tx.immediate(a));
}
