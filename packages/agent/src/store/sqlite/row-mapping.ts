import { toIso } from "../../serialize/op-json.js";
import type { ClaimedOp } from "../../types.js";
import { type OpRowBase, rowToOp } from "../rows.js";

export { type AttemptRow, encodeJson, type LedgerRow, rowToAttempt, rowToLedger, rowToOp } from "../rows.js";
export { toIso };

/** An `ops` row as SQLite returns it. */
export interface OpRow extends OpRowBase {
  reclaimed: number;
}

export function rowToClaimed(r: OpRow): ClaimedOp {
  return { op: rowToOp(r), reclaimed: r.reclaimed === 1 };
}
