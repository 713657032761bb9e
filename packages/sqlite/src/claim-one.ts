import type { ClaimedOp, ClaimOneArgs } from "@courier/agent";
import type { Db } from "./db.js";
import { type OpRow, rowToClaimed } from "./row-mapping.js";

/** CAS claim of one op: the row comes back only if this call moved it from pending (rowcount 1). */
export function createClaimOne(db: Db): (args: ClaimOneArgs) => ClaimedOp | null {
  const claim = db.prepare<[string, number, number, string, number], OpRow>(`
    UPDATE ops SET status = 'running', lease_owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?
    WHERE id = ? AND status = 'pending' AND next_exec <= ?
    RETURNING *`);
  const tx = db.transaction((a: ClaimOneArgs) => claim.all(a.owner, a.now + a.lease_ms, a.now, a.id, a.now));
  return (a) => {
    const rows = tx.immediate(a);
    return rows.length === 1 ? rowToClaimed(rows[0] as OpRow) : null;
  };
}
