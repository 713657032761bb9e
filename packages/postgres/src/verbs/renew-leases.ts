import type { RenewLeasesArgs } from "@courier/agent";
import type { Db } from "../db/db.js";

/** Extend the leases this owner still holds, in one statement; returns the ids still held. */
export function createRenewLeases(db: Db): (args: RenewLeasesArgs) => Promise<string[]> {
  return async (a) => {
    if (a.ids.length === 0) return [];
    const { rows } = await db.pool.query<{ id: string }>(
      `UPDATE ops SET lease_until = $1, updated_at = $2
       WHERE id = ANY($3::text[]) AND lease_owner = $4 AND status = 'running'
       RETURNING id`,
      [a.now + a.lease_ms, a.now, a.ids, a.owner],
    );
    const held = new Set(rows.map((r) => r.id));
    // In the caller's order (RETURNING order is unspecified).
    const out: string[] = [];
    for (const id of a.ids) {
      if (held.delete(id)) out.push(id);
    }
    return out;
  };
}
