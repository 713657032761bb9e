/**
 * Retention (COURIER_RETENTION_DAYS), the same rules in both stores. Older than the cutoff go:
 * - terminal ops (succeeded, failed, dead, cancelled, expired; by their last update) with every
 *   attempt and ledger entry of theirs, in one transaction;
 * - attempts of finished runs of ops that live on (a recurring op), and then those runs' ledger
 *   entries in a final state: a ledger entry is never pruned before its op or its run's history;
 * - audit rows, delivered webhooks (dead letters stay for the operator), resolved alerts and the
 *   per-day spend rows.
 * Every statement deletes at most `limit` rows (a batch); the caller repeats while any count
 * reaches the limit, pausing between batches (see retention/create-retention.ts).
 */
import { TERMINAL_STATUSES } from "../types.js";

export const TERMINAL_SQL = `(${TERMINAL_STATUSES.map((s) => `'${s}'`).join(",")})`;

export const DAY_MS = 86_400_000;

/** A batch pruned nothing more than this many rows of any kind: the pass is complete. */
export function isPruneComplete(counts: object, limit: number): boolean {
  return Object.values(counts).every((n) => typeof n !== "number" || n < limit);
}
