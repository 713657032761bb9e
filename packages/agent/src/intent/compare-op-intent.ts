/**
 * Does a stored op still say what its owner signed? Pure: the signature itself is checked by the
 * caller (crypto lives with the key format, in @courier/solana). This only compares the op's
 * fields with the signed payload and names the ones that differ.
 */
import type { Op } from "../types.js";
import { canonicalizeJson } from "./canonical-json.js";
import { encodeIntentPayload, getOpIntent, getSignedStart, type IntentSchedule, type IntentSource } from "./op-intent.js";

/** Where a comparison looks: the signed fields plus the op's next_exec (bounded by the signed start). */
export type ComparableOp = IntentSource & Pick<Op, "next_exec">;

export interface IntentComparison {
  /** True when the op's fields encode to exactly the signed payload and it does not run early. */
  matches: boolean;
  /** Signed fields that differ (`params.to`, `schedule.every_ms`, `next_exec`, …); `payload` when it cannot be read. */
  fields: string[];
}

export function compareOpWithIntent(op: ComparableOp, payload: string): IntentComparison {
  const signed = parsePayload(payload);
  if (!signed) return { matches: false, fields: ["payload"] };
  const schedule = signed.schedule as Partial<IntentSchedule> | undefined;
  // A one-off op's run_at is only in the signed payload; the op proves it by not running earlier.
  const signedRunAt = schedule?.kind === "once" && typeof schedule.run_at === "number" ? schedule.run_at : op.next_exec;
  const current = getOpIntent(op, Math.min(op.next_exec, signedRunAt));
  const encoded = encodeIntentPayload(current);
  const fields = encoded === payload ? [] : diffFields(signed, current as unknown as Record<string, unknown>);
  // Different bytes with no field named (e.g. a payload not in canonical form): still a mismatch.
  if (encoded !== payload && fields.length === 0) fields.push("payload");
  const start = getSignedStart(current.schedule);
  if (current.schedule.kind !== "once" && start !== null && op.next_exec < start) fields.push("next_exec");
  return { matches: fields.length === 0, fields };
}

function parsePayload(payload: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(payload);
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Keys whose values differ; `params` and `schedule` one level deeper so the report names the field. */
function diffFields(signed: Record<string, unknown>, current: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const key of unionKeys(signed, current)) {
    const a = signed[key];
    const b = current[key];
    if (same(a, b)) continue;
    if ((key === "params" || key === "schedule") && isRecord(a) && isRecord(b)) {
      for (const sub of unionKeys(a, b)) if (!same(a[sub], b[sub])) out.push(`${key}.${sub}`);
    } else {
      out.push(key);
    }
  }
  return out;
}

function unionKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function same(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  try {
    return canonicalizeJson(a) === canonicalizeJson(b);
  } catch {
    return false;
  }
}
