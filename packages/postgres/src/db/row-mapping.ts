import { type ClaimedOp, type OpRowBase, rowToOp, toIso } from "@courier/agent";

export { type AttemptRow, encodeIntent, encodeJson, type LedgerRow, rowToAttempt, rowToLedger, rowToOp } from "@courier/agent";
export { toIso };

/** An `ops` row as pg returns it (BIGINT parsed to number by the pool's type parsers). */
export interface OpRow extends OpRowBase {
  reclaimed: boolean;
}

export function rowToClaimed(r: OpRow): ClaimedOp {
  return { op: rowToOp(r), reclaimed: r.reclaimed };
}

/** Earliest-due first, ties by id (bytewise, like the "C" collation of the column). */
export function compareDue(x: OpRow, y: OpRow): number {
  return x.next_exec - y.next_exec || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
}

export const ATTEMPT_COLUMNS = "op_id, run, attempt, instance, action, started_at, ended_at, outcome, error_code, error, signature, latency_ms";

/** A page size from caller input: at least 1, at most `max`; anything not a number means `max`. */
export function clampLimit(limit: number, max: number): number {
  return Number.isFinite(limit) ? Math.min(max, Math.max(1, Math.floor(limit))) : max;
}
