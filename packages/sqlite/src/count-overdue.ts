import type { Db } from "./db.js";

/**
 * Pending ops due before `before` (the alert monitor's "overdue" check). Counted through the
 * partial index of pending ops, so the cost is the overdue ops, not the backlog.
 */
export function createCountOverdue(db: Db): (args: { before: number }) => number {
  const count = db.prepare<[number], { n: number }>("SELECT COUNT(*) AS n FROM ops INDEXED BY ops_due WHERE status = 'pending' AND next_exec < ?");
  return (a) => (count.get(a.before) as { n: number }).n;
}
