import type { ClaimedOp } from "../../types.js";
import type { Db } from "./db.js";
import { type OpRow, rowToClaimed } from "./row-mapping.js";

export interface ClaimDueArgs {
  now: number;
  limit: number;
  owner: string;
  lease_ms: number;
}

/**
 * The due-op lookup. `status = 'pending'` is written as a literal so the planner can use the
 * partial index `ops_due`; the cost is then the number of due ops, not the backlog.
 */
export const DUE_LOOKUP_SQL = "SELECT id FROM ops WHERE status = 'pending' AND next_exec <= ? ORDER BY next_exec LIMIT ?";

/**
 * Batched CAS claim: one UPDATE over the due ops, re-checking status='pending' so a row another
 * process took between the subquery and the update is not taken twice. IMMEDIATE takes the write
 * lock up front, so two processes never race on the same snapshot. `attempts` counts the
 * attempt this claim starts.
 */
export function createClaimDue(db: Db): (args: ClaimDueArgs) => ClaimedOp[] {
  const claim = db.prepare<[string, number, number, number, number], OpRow>(`
    UPDATE ops SET status = 'running', lease_owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?
    WHERE id IN (${DUE_LOOKUP_SQL}) AND status = 'pending'
    RETURNING *`);
  const tx = db.transaction((a: ClaimDueArgs) => claim.all(a.owner, a.now + a.lease_ms, a.now, a.now, a.limit));
  return (a) => {
    if (a.limit <= 0) return [];
    const rows = tx.immediate(a);
    // RETURNING order is unspecified: hand ops out earliest-due first.
    rows.sort((x, y) => x.next_exec - y.next_exec || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    return rows.map(rowToClaimed);
  };
}

/** EXPLAIN QUERY PLAN detail rows of the due-op lookup (tests assert it uses the index). */
export function explainDueLookup(db: Db): string[] {
  const rows = db.prepare<[number, number], { detail: string }>(`EXPLAIN QUERY PLAN ${DUE_LOOKUP_SQL}`).all(0, 1);
  return rows.map((r) => r.detail);
}
