/**
 * Zod schemas of the admin API's own inputs (query strings and the small control bodies).
 * The create-op body is `scheduleInputSchema` from @courier/agent. docs/api.md and
 * /admin/api/openapi.json describe exactly these.
 */
import { OP_STATUSES, type OpStatus } from "@courier/agent";
import { z } from "zod";

export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 500;
export const DEFAULT_STATS_TICKS = 50;
export const DEFAULT_AUDIT_LIMIT = 100;
export const MAX_AUDIT_LIMIT = 1000;

/** A decimal integer in a query string, bounded. */
export function intParam(min: number, max: number) {
  return z
    .string()
    .regex(/^[0-9]{1,9}$/, "must be a non-negative integer")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

const opStatusSchema = z.enum(OP_STATUSES as [OpStatus, ...OpStatus[]]);

export const listOpsQuerySchema = z.strictObject({
  status: opStatusSchema.optional(),
  action: z.string().min(1).max(128).optional(),
  limit: intParam(1, MAX_LIST_LIMIT).optional(),
  cursor: z.string().min(1).max(512).optional(),
});

export function createStatsQuerySchema(maxTicks: number) {
  return z.strictObject({ ticks: intParam(1, maxTicks).optional() });
}

export const auditQuerySchema = z.strictObject({
  limit: intParam(1, MAX_AUDIT_LIMIT).optional(),
  kind: z.string().min(1).max(128).optional(),
});

/** Optional body of POST /pause and /resume: who asked (shown in /readyz and the audit log). */
export const controlBodySchema = z.strictObject({
  by: z.string().min(1).max(128).optional(),
});

/** The operator verbs (cancel, retry, pause, resume) take no arguments: an empty body or `{}`. */
export const emptyBodySchema = z.strictObject({});

/** Op ids are short; anything longer cannot exist. */
export const MAX_OP_ID_LENGTH = 128;
