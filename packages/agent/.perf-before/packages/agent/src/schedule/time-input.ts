/**
 * Points in time as callers write them: ISO-8601 strings or epoch milliseconds.
 *
 * An ISO date-time must carry its zone (`Z` or `±hh:mm`): a zone-less "09:00" would silently
 * mean the server's local time, which is the wrong default for scheduling payments. A bare date
 * ("2026-03-01") is midnight UTC, as in JavaScript.
 */
import { z } from "zod";

// Years 0000–9999: beyond that Date.parse accepts "+275760-…" style years we do not want.
const ISO_RE =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/i;
const ISO_NO_ZONE_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?$/;
/** Latest instant a JavaScript Date can hold. */
export const MAX_EPOCH_MS = 8.64e15;

export type TimeParse = { ok: true; ms: number } | { ok: false; message: string };

/** Epoch ms of an ISO-8601 string or an epoch-ms number, or why it is not one. */
export function parseTimeInput(value: unknown): TimeParse {
  if (typeof value === "number") {
    if (!Number.isInteger(value) || value < 0 || value > MAX_EPOCH_MS) {
      return { ok: false, message: "must be epoch milliseconds (a non-negative integer) or an ISO-8601 string" };
    }
    return { ok: true, ms: value };
  }
  if (typeof value !== "string") {
    return { ok: false, message: "must be an ISO-8601 string or epoch milliseconds" };
  }
  const text = value.trim();
  if (ISO_NO_ZONE_RE.test(text)) {
    return { ok: false, message: `${JSON.stringify(value)} has no time zone: add Z or an offset such as +02:00` };
  }
  const ms = ISO_RE.test(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(ms) || ms < 0) {
    return { ok: false, message: `${JSON.stringify(value)} is not an ISO-8601 time (e.g. 2026-03-01T09:00:00Z)` };
  }
  return { ok: true, ms };
}

/** zod schema: ISO-8601 string or epoch ms in, epoch ms out. */
export const timeInputSchema = z.union([z.string(), z.number()], {
  error: "must be an ISO-8601 string or epoch milliseconds",
}).transform((value, ctx) => {
  const parsed = parseTimeInput(value);
  if (parsed.ok) return parsed.ms;
  ctx.addIssue({ code: "custom", message: parsed.message });
  return z.NEVER;
});
