import type { Db } from "../db/db.js";

/**
 * Pending ops due before `before` (the alert monitor's "overdue" check). Counted through the
 * partial index of pending ops, so the cost is the overdue ops, not the backlog.
 */
export function createCountOverdue(db: Db): (args: { before: number }) => Promise<number> {
  return async (a) => {
    const { rows } = await db.pool.query<{ n: number }>("SELECT COUNT(*) AS n FROM ops WHERE status = 'pending' AND next_exec < $1", [a.before]);
    return rows[0]?.n ?? 0;
  };
}
