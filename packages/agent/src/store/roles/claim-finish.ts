/** The crank's roles: claiming ops and their leases, and ending attempts. */
import type { AttemptRecord, ClaimedOp, Transition } from "../../types.js";
import type { OutboxEvent } from "./outbox-alerts.js";

/** The event a finish writes with it. */
export type FinishEvent = OutboxEvent;
export interface ClaimDueArgs {
  now: number;
  limit: number;
  owner: string;
  lease_ms: number;
}
export interface ClaimOneArgs {
  id: string;
  now: number;
  owner: string;
  lease_ms: number;
}
export interface RenewLeasesArgs {
  ids: string[];
  owner: string;
  now: number;
  lease_ms: number;
}
export interface ReclaimExpiredArgs {
  now: number;
  limit: number;
}
export interface ReleaseOpArgs {
  id: string;
  owner: string;
  now: number;
  next_exec: number;
  last_error: string | null;
}
export interface ExpireDueArgs {
  now: number;
  limit: number;
  /** Written as the `instance` of each `expired` attempt row. */
  instance: string;
}
/** The argument of finishAttempt (and each entry of finishAttempts). */
export interface FinishAttemptArgs {
  id: string;
  owner: string;
  now: number;
  transition: Transition;
  attempt: AttemptRecord;
  event?: FinishEvent;
}
/** The claim path and leases (crank). */
export interface ClaimStore {
  /** Earliest next_exec among pending ops (null when none): how long the loop may sleep. */
  nextDueAt(): Promise<number | null>;
  /** Batched CAS claim of up to `limit` pending ops due at `now`. */
  claimDue(args: ClaimDueArgs): Promise<ClaimedOp[]>;
  /** CAS claim of one op by id (rowcount checked); null when another process won or it is not due. */
  claimOne(args: ClaimOneArgs): Promise<ClaimedOp | null>;
  /** Extend the leases of ops this owner holds; returns the ids still held. */
  renewLeases(args: RenewLeasesArgs): Promise<string[]>;
  /** Running ops whose lease expired become claimable again, flagged as reclaimed. */
  reclaimExpired(args: ReclaimExpiredArgs): Promise<number>;
  /**
   * Give a claimed op back without consuming its attempt (infra, ambiguous, shutdown). A held
   * operator request (after_run) applies if nothing of the run may land.
   */
  releaseOp(args: ReleaseOpArgs): Promise<boolean>;
  /**
   * pending/paused ops past `expires_at` whose current run has not acted (no live ledger entry,
   * not reclaimed) → expired, with an `expired` attempt row each. Returns how many. Run by the
   * crank even while paused, so an op reads `expired` on time.
   */
  expireDue(args: ExpireDueArgs): Promise<number>;
}
/** Ending attempts (crank). */
export interface FinishStore {
  /**
   * Apply the end of an attempt: record it and move the op per `transition`. False if not owned.
   * `event`, when given, is written to the outbox in the same transaction (as enqueueOutbox does:
   * ignored when its event_id exists), only when the finish applies; nothing when it returns false.
   */
  finishAttempt(args: FinishAttemptArgs): Promise<boolean>;
  /**
   * finishAttempt for a batch, in ONE transaction: entry i gets exactly finishAttempt's
   * semantics and ownership guard (applied in order) and result i says whether it was applied.
   * A thrown error means nothing of the batch was written. The crank's hot path: one commit per
   * batch of ended attempts.
   */
  finishAttempts(batch: FinishAttemptArgs[]): Promise<boolean[]>;
  /** Record a run skipped by the misfire policy or expired (attempt history only). */
  recordAttempt(attempt: AttemptRecord): Promise<void>;
}
