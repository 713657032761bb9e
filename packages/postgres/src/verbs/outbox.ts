import { type EnqueueOutboxArgs, type OutboxRow, rowToOutboxItem, type Store } from "@courier/agent";
import type { Db, Queryable } from "../db/db.js";

const COLUMNS = "id, event_id, type, payload, attempts, created_at, next_attempt_at, delivered_at, last_error";

/** Add an event (due now); false and nothing written when its event_id is already there. */
export async function enqueueOutboxItem(q: Queryable, item: EnqueueOutboxArgs): Promise<boolean> {
  const res = await q.query(
    `INSERT INTO outbox (event_id, type, payload, attempts, next_attempt_at, created_at)
     VALUES ($1, $2, $3, 0, $4, $4) ON CONFLICT (event_id) DO NOTHING`,
    [item.event_id, item.type, JSON.stringify(item.payload ?? {}), item.now],
  );
  return res.rowCount === 1;
}

/** Delivery errors are receiver-controlled text: keep the stored part bounded. */
const MAX_ERROR_CHARS = 500;

/**
 * The webhook outbox (at-least-once), shared by every instance. A claim leases items by moving
 * `next_attempt_at` to the lease end and counting the attempt it starts, so an item whose
 * deliverer died is simply due again later: no separate reclaim pass. SKIP LOCKED lets
 * deliverers on several hosts claim side by side. Dead items leave the due index (`outbox_due`).
 */
export function createOutboxVerbs(db: Db): Pick<Store, "enqueueOutbox" | "claimOutbox" | "markOutboxDelivered" | "markOutboxFailed" | "outboxSummary"> {
  return {
    enqueueOutbox: (item) => enqueueOutboxItem(db.pool, item),
    claimOutbox: async (a) => {
      if (a.limit <= 0) return [];
      const { rows } = await db.pool.query<OutboxRow>(
        // A MATERIALIZED CTE so the LIMIT … SKIP LOCKED lookup runs once (see claim-due.ts).
        `WITH due AS MATERIALIZED (
           SELECT id FROM outbox WHERE delivered_at IS NULL AND dead_at IS NULL AND next_attempt_at <= $3
           ORDER BY next_attempt_at, id LIMIT $4 FOR UPDATE SKIP LOCKED
         )
         UPDATE outbox SET lease_owner = $1, next_attempt_at = $2, attempts = outbox.attempts + 1
         FROM due WHERE outbox.id = due.id AND outbox.delivered_at IS NULL AND outbox.dead_at IS NULL
         RETURNING ${COLUMNS.split(", ").map((c) => `outbox.${c}`).join(", ")}`,
        [a.owner, a.now + a.lease_ms, a.now, Math.floor(a.limit)],
      );
      rows.sort((x, y) => x.id - y.id);
      return rows.map(rowToOutboxItem);
    },
    // A delivery that reached the receiver is the truth even if this deliverer's lease lapsed.
    markOutboxDelivered: async (a) => {
      await db.pool.query("UPDATE outbox SET delivered_at = $1, lease_owner = NULL, dead_at = NULL WHERE id = $2 AND delivered_at IS NULL", [a.now, a.id]);
    },
    // A failure only counts from the current lease holder: a late report must not undo a newer claim.
    markOutboxFailed: async (a) => {
      await db.pool.query(
        `UPDATE outbox SET last_error = $1, next_attempt_at = $2, dead_at = $3, lease_owner = NULL
         WHERE id = $4 AND lease_owner = $5 AND delivered_at IS NULL AND dead_at IS NULL`,
        [a.error.slice(0, MAX_ERROR_CHARS), a.next_attempt_at, a.dead ? a.now : null, a.id, a.owner],
      );
    },
    outboxSummary: async () => {
      const { rows } = await db.pool.query<{ pending: number; delivered: number; dead: number; oldest_pending_at: number | null }>(`
        SELECT COUNT(*) FILTER (WHERE delivered_at IS NULL AND dead_at IS NULL) AS pending,
          COUNT(*) FILTER (WHERE delivered_at IS NOT NULL) AS delivered,
          COUNT(*) FILTER (WHERE dead_at IS NOT NULL AND delivered_at IS NULL) AS dead,
          MIN(created_at) FILTER (WHERE delivered_at IS NULL AND dead_at IS NULL) AS oldest_pending_at
        FROM outbox`);
      return rows[0] as { pending: number; delivered: number; dead: number; oldest_pending_at: number | null };
    },
  };
}
