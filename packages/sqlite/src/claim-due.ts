import type { ClaimDueArgs, ClaimedOp } from "@courier/agent";
import type { Db } from "./db.js";
import { type OpRow, rowToClaimed } from "./row-mapping.js";

/**
 * The due-op lookup. It is pinned to the partial index `ops_due` (pending ops by next_exec):
 * left to itself, the planner prefers the (status, created_at) index for `status = 'pending'` and
 * sorts every pending op, so a claim would cost as much as the backlog. INDEXED BY also makes a
 * schema change that breaks the index an error at prepare time instead of a silent slowdown.
 */
export const DUE_LOOKUP_SQL =
  "SELECT id FROM ops INDEXED BY ops_due WHERE status = 'pending' AND next_exec <= ? ORDER BY next_exec LIMIT ?";

const CLAIM_DUE_SQL = `
    UPDATE ops SET status = 'running', lease_owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?
    WHERE id IN (${DUE_LOOKUP_SQL}) AND +status = 'pending'
    RETURNING *`;

/**
 * Batched CAS claim: one UPDATE over the due ops, re-checking status='pending' so a row another
 * process took between the subquery and the update is not taken twice (the unary `+` keeps that
 * re-check from steering the outer loop onto the status index: the rows are found by id).
 * IMMEDIATE takes the write lock up front, so two processes never race on the same snapshot.
 * `attempts` counts the attempt this claim starts.
 */
export function createClaimDue(db: Db): (args: ClaimDueArgs) => ClaimedOp[] {
  const claim = db.prepare<[string, number, number, number, number], OpRow>(CLAIM_DUE_SQL);
  const tx = db.transaction((a: ClaimDueArgs) => claim.all(a.owner, a.now + a.lease_ms, a.now, a.now, a.limit));
  return (a) => {
    if (a.limit <= 0) return [];
    const rows = tx.immediate(a);
    // RETURNING order is unspecified: hand ops out earliest-due first.
    rows.sort((x, y) => x.next_exec - y.next_exec || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    return rows.map(rowToClaimed);
  };
}

/**
 * EXPLAIN QUERY PLAN detail rows of the batched claim statement (the due-op lookup and the update
 * it feeds); tests assert both go through indexes.
 */
export function explainDueLookup(db: Db): string[] {
  const rows = db.prepare<[string, number, number, number, number], { detail: string }>(`EXPLAIN QUERY PLAN ${CLAIM_DUE_SQL}`).all("x", 0, 0, 0, 1);
  return rows.map((r) => r.detail);
}
