/**
 * An op's intent: the fields its owner signs, and their canonical bytes (docs/api.md "Signed op
 * intents" documents them byte for byte, and a test pins them). This file is the single place
 * that lists the signed fields.
 *
 * Signed: action, params, schedule (kind; one-off: run_at; interval: every_ms and anchor; cron:
 * cron and tz), max_exec, expires_at, max_attempts, on_failure, misfire, idempotency_key.
 * Not signed, because they change as the op runs or only delay it: id, status, next_exec (checked
 * against the signed start instead), due_at, run, attempts, exec_count, last_error, leases,
 * missed_window_ms, created_at and updated_at.
 *
 * Times are epoch milliseconds (integers); absent optional fields are null, never left out, so
 * one op has exactly one encoding. `on_failure` absent on the op takes its default: "stop" for
 * a one-off op, "continue" for an interval or cron op (CONTRACT.md).
 *
 * Bytes signed: UTF-8 of INTENT_DOMAIN, one 0x0A byte, then the RFC 8785 canonical JSON of the
 * intent object. The prefix names the version: a change of fields or format takes a new one.
 */
import type { MisfirePolicy, NewOp, Schedule } from "../types.js";
import { canonicalizeJson } from "./canonical-json.js";

export const INTENT_DOMAIN = "courier-intent-v1";

export type IntentOnFailure = "continue" | "stop";

export type IntentSchedule =
  | { kind: "once"; run_at: number }
  | { kind: "every"; every_ms: number; anchor: number }
  | { kind: "cron"; cron: string; tz: string };

export interface OpIntent {
  action: string;
  params: unknown;
  schedule: IntentSchedule;
  max_exec: number | null;
  expires_at: number | null;
  max_attempts: number;
  on_failure: IntentOnFailure;
  misfire: MisfirePolicy;
  idempotency_key: string | null;
}

/** What an op (stored or about to be) must carry to be encoded. `on_failure` arrives with the op lifecycle work. */
export type IntentSource = Pick<NewOp, "action" | "params" | "schedule" | "max_exec" | "expires_at" | "max_attempts" | "misfire" | "idempotency_key"> & {
  on_failure?: IntentOnFailure | null;
};

export function getDefaultOnFailure(schedule: Pick<Schedule, "kind">): IntentOnFailure {
  return schedule.kind === "once" ? "stop" : "continue";
}

/**
 * The intent of an op. `runAt` is the one-off op's signed first run (a stored op keeps only its
 * next_exec, which retries and backoff move later; the verifier passes the signed run_at).
 */
export function getOpIntent(op: IntentSource, runAt: number): OpIntent {
  return {
    action: op.action,
    params: op.params,
    schedule: getIntentSchedule(op.schedule, runAt),
    max_exec: op.max_exec,
    expires_at: op.expires_at,
    max_attempts: op.max_attempts,
    on_failure: op.on_failure ?? getDefaultOnFailure(op.schedule),
    misfire: op.misfire,
    idempotency_key: op.idempotency_key,
  };
}

function getIntentSchedule(schedule: Schedule, runAt: number): IntentSchedule {
  switch (schedule.kind) {
    case "once":
      return { kind: "once", run_at: runAt };
    case "every":
      return { kind: "every", every_ms: schedule.every_ms, anchor: schedule.anchor };
    case "cron":
      return { kind: "cron", cron: schedule.cron, tz: schedule.tz };
  }
}

/** The canonical JSON of an intent (what StoredIntent.payload holds). */
export function encodeIntentPayload(intent: OpIntent): string {
  return canonicalizeJson(intent);
}

const PREFIX = new TextEncoder().encode(`${INTENT_DOMAIN}\n`);

/** The bytes an owner signs for `payload`: the domain prefix, a newline, the canonical JSON. */
export function getIntentMessage(payload: string): Uint8Array {
  const body = new TextEncoder().encode(payload);
  const out = new Uint8Array(PREFIX.length + body.length);
  out.set(PREFIX, 0);
  out.set(body, PREFIX.length);
  return out;
}

/** The earliest time the signed schedule allows a run (null for cron: its pattern is the bound). */
export function getSignedStart(schedule: IntentSchedule): number | null {
  if (schedule.kind === "once") return schedule.run_at;
  if (schedule.kind === "every") return schedule.anchor;
  return null;
}
