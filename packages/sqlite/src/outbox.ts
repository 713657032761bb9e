import { type ClaimOutboxArgs, type EnqueueOutboxArgs, type OutboxRow, rowToOutboxItem, type SyncVerbs } from "@courier/agent";
import type { Db } from "./db.js";

/** Delivery errors are receiver-controlled text: keep the stored part bounded. */
const MAX_ERROR_CHARS = 500;

/**
 * Prepared insert of one outbox event; `event_id` is unique, so a retried emit is a no-op
 * (returns false). Shared with alerts.ts, which enqueues inside its own transaction.
 */
export function createEnqueueOutbox(db: Db): (item: EnqueueOutboxArgs) => boolean {
  const insert = db.prepare<[string, string, string, number, number]>(
    "INSERT INTO outbox (event_id, type, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING",
  );
  return (i) => insert.run(i.event_id, i.type, JSON.stringify(i.payload ?? {}), i.now, i.now).changes === 1;
}

/**
 * The webhook outbox (at-least-once). A claim leases items by moving `next_attempt_at` to the
 * lease end and counting the attempt it starts, so an item whose deliverer died is simply due
 * again later: no separate reclaim pass. Dead items leave the due index (`outbox_due`).
 */
export function createOutboxVerbs(db: Db): SyncVerbs<"enqueueOutbox" | "claimOutbox" | "markOutboxDelivered" | "markOutboxFailed" | "outboxSummary"> {
  const claim = db.prepare<[string, number, number, number], OutboxRow>(`
    UPDATE outbox SET lease_owner = ?, next_attempt_at = ?, attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM outbox INDEXED BY outbox_due
      WHERE delivered_at IS NULL AND dead_at IS NULL AND next_attempt_at <= ?
      ORDER BY next_attempt_at LIMIT ?)
    AND delivered_at IS NULL AND dead_at IS NULL
    RETURNING *`);
  const claimTx = db.transaction((a: ClaimOutboxArgs) => claim.all(a.owner, a.now + a.lease_ms, a.now, a.limit));
  // A delivery that reached the receiver is the truth even if this deliverer's lease lapsed.
  const delivered = db.prepare<[number, number]>(
    "UPDATE outbox SET delivered_at = ?, lease_owner = NULL, dead_at = NULL WHERE id = ? AND delivered_at IS NULL",
  );
  // A failure only counts from the current lease holder: a late report must not undo a newer claim.
  const failed = db.prepare<[string, number, number | null, number, string]>(`
    UPDATE outbox SET last_error = ?, next_attempt_at = ?, dead_at = ?, lease_owner = NULL
    WHERE id = ? AND lease_owner = ? AND delivered_at IS NULL AND dead_at IS NULL`);
  const summary = db.prepare<[], { pending: number | null; delivered: number | null; dead: number | null; oldest: number | null }>(`
    SELECT
      SUM(delivered_at IS NULL AND dead_at IS NULL) AS pending,
      SUM(delivered_at IS NOT NULL) AS delivered,
      SUM(dead_at IS NOT NULL AND delivered_at IS NULL) AS dead,
      MIN(CASE WHEN delivered_at IS NULL AND dead_at IS NULL THEN created_at END) AS oldest
    FROM outbox`);
  return {
    enqueueOutbox: createEnqueueOutbox(db),
    claimOutbox: (a) => {
      if (a.limit <= 0) return [];
      const rows = claimTx.immediate(a);
      rows.sort((x, y) => x.id - y.id);
      return rows.map(rowToOutboxItem);
    },
    markOutboxDelivered: (a) => {
      delivered.run(a.now, a.id);
    },
    markOutboxFailed: (a) => {
      failed.run(a.error.slice(0, MAX_ERROR_CHARS), a.next_attempt_at, a.dead ? a.now : null, a.id, a.owner);
    },
    outboxSummary: () => {
      const r = summary.get() as { pending: number | null; delivered: number | null; dead: number | null; oldest: number | null };
      return { pending: r.pending ?? 0, delivered: r.delivered ?? 0, dead: r.dead ?? 0, oldest_pending_at: r.oldest };
    },
  };
}
