/** The webhook outbox, alert state and the audit log. */
import type { AlertRecord, AuditEvent, OutboxItem } from "../../types.js";

/** An outbox event: written by enqueueOutbox, or by a finish / alert transition in its own transaction. */
export interface OutboxEvent {
  event_id: string;
  type: string;
  payload: Record<string, unknown>;
}
export interface EnqueueOutboxArgs extends OutboxEvent {
  now: number;
}
export interface ClaimOutboxArgs {
  now: number;
  limit: number;
  owner: string;
  lease_ms: number;
}
export interface MarkOutboxDeliveredArgs {
  id: number;
  owner: string;
  now: number;
}
export interface MarkOutboxFailedArgs {
  id: number;
  owner: string;
  now: number;
  error: string;
  next_attempt_at: number;
  dead: boolean;
}
export interface OutboxSummary {
  pending: number;
  delivered: number;
  dead: number;
  oldest_pending_at: number | null;
}
/** The webhook outbox: at-least-once delivery, receivers dedupe by event_id (dispatcher). */
export interface OutboxStore {
  /** Add an event to the outbox; false (nothing written) when `event_id` is already there. */
  enqueueOutbox(item: EnqueueOutboxArgs): Promise<boolean>;
  /** Lease up to `limit` undelivered items due at `now` for delivery by `owner`. */
  claimOutbox(args: ClaimOutboxArgs): Promise<OutboxItem[]>;
  markOutboxDelivered(args: MarkOutboxDeliveredArgs): Promise<void>;
  /** A failed delivery: retry at `next_attempt_at`, or give up (`dead`) after too many attempts. */
  markOutboxFailed(args: MarkOutboxFailedArgs): Promise<void>;
  outboxSummary(): Promise<OutboxSummary>;
}
export interface CountOverdueArgs {
  before: number;
}
export interface TransitionAlertArgs {
  key: string;
  state: "firing" | "resolved";
  now: number;
  data: Record<string, unknown>;
  event?: OutboxEvent;
  /**
   * Resolving only: make the change only if op `op_id` still has this `exec_count` and no
   * `last_error`, checked in the same transaction (a run-failed alert resolving on a later
   * success: a run that fails meanwhile keeps the alert firing, it is not resolved over).
   */
  ifOpRecovered?: { op_id: string; exec_count: number };
}
/** Alert state: one row per condition; the transition is a CAS so one incident alerts once across instances. */
export interface AlertStore {
  getAlerts(): Promise<AlertRecord[]>;
  /**
   * Move alert `key` to `state` if it is not already there. When it changes, the outbox event
   * (if given) is enqueued in the same transaction. Returns true when this call made the change.
   */
  transitionAlert(args: TransitionAlertArgs): Promise<boolean>;
  /** Pending ops due before `before` (overdue alert): cheap, served by the due index. */
  countOverdue(args: CountOverdueArgs): Promise<number>;
}
export type NewAuditEvent = Omit<AuditEvent, "id">;
export interface ListAuditArgs {
  limit: number;
  kind?: string;
}
export interface AuditStore {
  audit(event: NewAuditEvent): Promise<void>;
  listAudit(args: ListAuditArgs): Promise<AuditEvent[]>;
}
