import type { RenewLeasesArgs } from "@courier/agent";
import type { Db } from "./db.js";

/**
 * Extend the leases this owner still holds, in one statement; returns the ids still held.
 * Rows are found by id (the `+` keeps the status index from driving the loop over every running op).
 */
export function createRenewLeases(db: Db): (args: RenewLeasesArgs) => string[] {
  const renew = db.prepare<[number, number, string, string], { id: string }>(`
    UPDATE ops SET lease_until = ?, updated_at = ?
    WHERE id IN (SELECT value FROM json_each(?)) AND +lease_owner = ? AND +status = 'running'
    RETURNING id`);
  return (a) => {
    if (a.ids.length === 0) return [];
    return renew.all(a.now + a.lease_ms, a.now, JSON.stringify(a.ids), a.owner).map((r) => r.id);
  };
}
