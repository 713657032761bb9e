import { type ClaimedOp, type OpRowBase, rowToOp, toIso } from "@courier/agent";

export { type AttemptRow, encodeJson, type LedgerRow, rowToAttempt, rowToLedger, rowToOp } from "@courier/agent";
export { toIso };

/** An `ops` row as SQLite returns it. */
export interface OpRow extends OpRowBase {
  reclaimed: number;
}

export function rowToClaimed(r: OpRow): ClaimedOp {
  return { op: rowToOp(r), reclaimed: r.reclaimed === 1 };
}
