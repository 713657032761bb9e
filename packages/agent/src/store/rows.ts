/**
 * Row ↔ record mapping shared by the store implementations (SQLite, PostgreSQL): both keep the
 * same columns with JSON as text and times as epoch-ms integers, so one mapping serves both.
 */
import type { AfterRun, AlertRecord, AttemptRecord, AuditEvent, LedgerEntry, MisfirePolicy, NewOp, OnFailure, Op, OpStatus, OutboxItem, Schedule, StoredIntent } from "../types.js";

/** Op fields an `ops` row keeps as text: JSON, or a name the column does not check. */
type OpTextColumn = "params" | "status" | "schedule" | "misfire" | "on_failure";

/**
 * The columns of an `ops` row every store maps the same way (the `reclaimed` flag's type differs
 * by driver): an Op's fields, with JSON and names as text and the owner's signature
 * (StoredIntent) as JSON text, null when unsigned.
 */
export type OpRowBase = Omit<Op, OpTextColumn | "after_run" | "intent"> & Record<OpTextColumn, string> & { after_run: string | null; intent: string | null };

/** A new op's on_failure: "continue" by default for a recurring op, "stop" for a one-off. */
export function getOnFailure(op: Pick<NewOp, "on_failure" | "schedule">): OnFailure {
  return op.on_failure ?? (op.schedule.kind === "once" ? "stop" : "continue");
}

/** A new op's column values as both stores insert them (JSON as text, on_failure resolved). */
export function getNewOpColumns(op: NewOp) {
  return {
    id: op.id,
    action: op.action,
    params: encodeJson(op.params),
    schedule: JSON.stringify(op.schedule),
    next_exec: op.next_exec,
    created_at: op.created_at,
    max_exec: op.max_exec,
    max_attempts: op.max_attempts,
    expires_at: op.expires_at,
    idempotency_key: op.idempotency_key,
    misfire: op.misfire,
    missed_window_ms: op.missed_window_ms,
    on_failure: getOnFailure(op),
    intent: encodeIntent(op.intent),
  };
}

/**
 * SQL condition (same text in both dialects) true when the current run of the op row `ops` may
 * already have moved money: a ledger entry signed, sent or landed. Such an op is never reported
 * cancelled or expired, and a held operator request waits for the run to resolve.
 */
export const RUN_MAY_LAND_SQL =
  "EXISTS (SELECT 1 FROM ledger l WHERE l.op_id = ops.id AND l.run = ops.run AND l.state IN ('signed', 'sent', 'landed'))";

export function rowToOp(r: OpRowBase): Op {
  return {
    id: r.id,
    action: r.action,
    params: JSON.parse(r.params) as unknown,
    status: r.status as OpStatus,
    schedule: JSON.parse(r.schedule) as Schedule,
    next_exec: r.next_exec,
    due_at: r.due_at,
    created_at: r.created_at,
    updated_at: r.updated_at,
    run: r.run,
    exec_count: r.exec_count,
    max_exec: r.max_exec,
    attempts: r.attempts,
    max_attempts: r.max_attempts,
    last_error: r.last_error,
    expires_at: r.expires_at,
    idempotency_key: r.idempotency_key,
    misfire: r.misfire as MisfirePolicy,
    missed_window_ms: r.missed_window_ms,
    on_failure: r.on_failure as OnFailure,
    after_run: r.after_run as AfterRun | null,
    attempt_base: r.attempt_base,
    ledger_floor: r.ledger_floor,
    lease_owner: r.lease_owner,
    lease_until: r.lease_until,
    intent: decodeIntent(r.intent),
  };
}

/** The `intent` column's text for a StoredIntent (null when unsigned). */
export function encodeIntent(intent: StoredIntent | null | undefined): string | null {
  return intent ? JSON.stringify({ signer: intent.signer, signature: intent.signature, payload: intent.payload }) : null;
}

/**
 * Never throws: a column someone garbled must not break every claim. What cannot be read becomes
 * an intent that fails verification (empty signer and signature), so the op is refused, not run.
 */
function decodeIntent(text: string | null): StoredIntent | null {
  if (text === null) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { signer: "", signature: "", payload: text };
  }
  const o = (v !== null && typeof v === "object" ? v : {}) as Record<string, unknown>;
  const str = (x: unknown) => (typeof x === "string" ? x : "");
  return { signer: str(o.signer), signature: str(o.signature), payload: str(o.payload) };
}

/** Params are stored as JSON text; `undefined` (no params) is stored as null. */
export function encodeJson(v: unknown): string {
  return JSON.stringify(v ?? null);
}

/** An `attempts` row: the outcome as text. */
export type AttemptRow = Omit<AttemptRecord, "outcome"> & { outcome: string };

export function rowToAttempt(r: AttemptRow): AttemptRecord {
  return {
    op_id: r.op_id,
    run: r.run,
    attempt: r.attempt,
    instance: r.instance,
    action: r.action,
    started_at: r.started_at,
    ended_at: r.ended_at,
    outcome: r.outcome as AttemptRecord["outcome"],
    error_code: r.error_code,
    error: r.error,
    signature: r.signature,
    latency_ms: r.latency_ms,
  };
}

export interface LedgerRow {
  op_id: string;
  run: number;
  seq: number;
  signature: string;
  wire: Buffer;
  blockhash: string;
  last_valid_block_height: number;
  state: string;
  error: string | null;
  lamports: number;
  signer: string;
  created_at: number;
  updated_at: number;
}

export function rowToLedger(r: LedgerRow): LedgerEntry {
  return {
    op_id: r.op_id,
    run: r.run,
    seq: r.seq,
    signature: r.signature,
    // A plain Uint8Array copy: callers never see (or keep alive) the driver's Buffer.
    wire: new Uint8Array(r.wire),
    blockhash: r.blockhash,
    last_valid_block_height: r.last_valid_block_height,
    state: r.state as LedgerEntry["state"],
    error: r.error,
    lamports: r.lamports,
    signer: r.signer,
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}

/** The `outbox` columns an OutboxItem is read from (stores may keep more, e.g. the lease). */
export interface OutboxRow {
  id: number;
  event_id: string;
  type: string;
  payload: string;
  attempts: number;
  created_at: number;
  next_attempt_at: number;
  delivered_at: number | null;
  last_error: string | null;
}

export function rowToOutboxItem(r: OutboxRow): OutboxItem {
  return {
    id: r.id,
    event_id: r.event_id,
    type: r.type,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    attempts: r.attempts,
    created_at: r.created_at,
    next_attempt_at: r.next_attempt_at,
    delivered_at: r.delivered_at,
    last_error: r.last_error,
  };
}

/** An `audit` row: its data as JSON text. */
export type AuditRow = Omit<AuditEvent, "data"> & { data: string };

export function rowToAudit(r: AuditRow): AuditEvent {
  return { id: r.id, at: r.at, instance: r.instance, kind: r.kind, op_id: r.op_id, data: JSON.parse(r.data) as Record<string, unknown> };
}

/** An `alerts` row: state as text, data as JSON text. */
export type AlertRow = Omit<AlertRecord, "state" | "data"> & { state: string; data: string };

export function rowToAlert(r: AlertRow): AlertRecord {
  return { key: r.key, state: r.state as AlertRecord["state"], since: r.since, updated_at: r.updated_at, data: JSON.parse(r.data) as Record<string, unknown> };
}
