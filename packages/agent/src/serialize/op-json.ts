/**
 * JSON shapes of ops and attempts for the admin API and the CLI (CONTRACT.md "Op object").
 * The store keeps epoch milliseconds; responses carry ISO-8601 strings.
 */
import type { AttemptRecord, LedgerEntry, LedgerState, Op, Schedule } from "../types.js";

export function toIso(ms: number): string;
export function toIso(ms: number | null): string | null;
export function toIso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export type ScheduleJSON =
  | { kind: "once" }
  | { kind: "every"; every_ms: number; anchor: string }
  | { kind: "cron"; cron: string; tz: string };

/** Op fields that are times: epoch ms in the store, ISO-8601 in a response. */
type OpTimeField = "next_exec" | "due_at" | "created_at" | "updated_at";

/** An op as a response shows it: the Op's fields (but the internal ledger_floor), times as ISO-8601. */
export type OpJSON = Omit<Op, OpTimeField | "expires_at" | "lease_until" | "schedule" | "intent" | "ledger_floor"> &
  Record<OpTimeField, string> & {
    expires_at: string | null;
    lease_until: string | null;
    schedule: ScheduleJSON;
    /** The owner's signature of the op's intent (docs/api.md "Signed op intents"); null when unsigned. */
    intent: { signer: string; signature: string } | null;
  };

export function scheduleToJSON(schedule: Schedule): ScheduleJSON {
  switch (schedule.kind) {
    case "once":
      return { kind: "once" };
    case "every":
      return { kind: "every", every_ms: schedule.every_ms, anchor: toIso(schedule.anchor) };
    case "cron":
      return { kind: "cron", cron: schedule.cron, tz: schedule.tz };
  }
}

export function opToJSON(op: Op): OpJSON {
  return {
    id: op.id,
    action: op.action,
    params: op.params,
    status: op.status,
    schedule: scheduleToJSON(op.schedule),
    next_exec: toIso(op.next_exec),
    due_at: toIso(op.due_at),
    created_at: toIso(op.created_at),
    updated_at: toIso(op.updated_at),
    run: op.run,
    exec_count: op.exec_count,
    max_exec: op.max_exec,
    attempts: op.attempts,
    max_attempts: op.max_attempts,
    last_error: op.last_error,
    expires_at: toIso(op.expires_at),
    idempotency_key: op.idempotency_key,
    misfire: op.misfire,
    missed_window_ms: op.missed_window_ms,
    on_failure: op.on_failure,
    after_run: op.after_run,
    attempt_base: op.attempt_base,
    lease_owner: op.lease_owner,
    lease_until: toIso(op.lease_until),
    intent: op.intent ? { signer: op.intent.signer, signature: op.intent.signature } : null,
  };
}

export interface AttemptJSON {
  op_id: string;
  run: number;
  attempt: number;
  instance: string;
  action: string;
  started_at: string;
  ended_at: string;
  outcome: AttemptRecord["outcome"];
  error_code: string | null;
  error: string | null;
  signature: string | null;
  latency_ms: number;
}

export function attemptToJSON(a: AttemptRecord): AttemptJSON {
  return {
    op_id: a.op_id,
    run: a.run,
    attempt: a.attempt,
    instance: a.instance,
    action: a.action,
    started_at: toIso(a.started_at),
    ended_at: toIso(a.ended_at),
    outcome: a.outcome,
    error_code: a.error_code,
    error: a.error,
    signature: a.signature,
    latency_ms: a.latency_ms,
  };
}

/** Attempt history grouped by run, runs and attempts in ascending order (`ops show`). */
export function getRunsJSON(attempts: readonly AttemptRecord[]): Array<{ run: number; attempts: AttemptJSON[] }> {
  const byRun = new Map<number, AttemptRecord[]>();
  for (const a of attempts) {
    const list = byRun.get(a.run);
    if (list) list.push(a);
    else byRun.set(a.run, [a]);
  }
  return [...byRun.entries()]
    .sort(([x], [y]) => x - y)
    .map(([run, list]) => ({
      run,
      attempts: [...list].sort((x, y) => x.attempt - y.attempt || x.started_at - y.started_at).map(attemptToJSON),
    }));
}

export interface LedgerEntryJSON {
  run: number;
  seq: number;
  signature: string;
  state: LedgerState;
  error: string | null;
  lamports: number;
  signer: string;
  last_valid_block_height: number;
  created_at: string;
  updated_at: string;
}

/** A ledger entry without its wire bytes (the signature identifies the transaction). */
export function ledgerEntryToJSON(e: LedgerEntry): LedgerEntryJSON {
  return {
    run: e.run,
    seq: e.seq,
    signature: e.signature,
    state: e.state,
    error: e.error,
    lamports: e.lamports,
    signer: e.signer,
    last_valid_block_height: e.last_valid_block_height,
    created_at: toIso(e.created_at),
    updated_at: toIso(e.updated_at),
  };
}
