/**
 * POST /admin/api/courier/ops/bulk: one operator verb over many ops, chosen by `ids` or by a
 * `filter`. Each op goes through the per-op route (in-process), so a bulk cancel follows
 * exactly the rules of a single cancel; what an op refuses is reported in `skipped` with the
 * route's error code, and a verb this build has no route for is skipped as "unsupported".
 */
import { OP_STATUSES, type OpStatus } from "@courier/agent";
import type { Hono } from "hono";
import { z } from "zod";
import { callApi, isMissingRoute } from "../http/internal-call.js";
import { toValidationError } from "../http/parse-query.js";
import { readJsonBody } from "../http/read-json-body.js";
import { MAX_OP_ID_LENGTH } from "../schemas.js";
import type { AdminDeps } from "../types.js";

const BASE = "/admin/api/courier/ops";
export const BULK_ACTIONS = ["cancel", "retry", "pause", "resume"] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
/** Ops one call acts on at most; a filter that selects more is continued by calling again. */
export const MAX_BULK_OPS = 10_000;
const PAGE = 500;

export const bulkBodySchema = z
  .strictObject({
    action: z.enum(BULK_ACTIONS),
    ids: z.array(z.string().min(1).max(MAX_OP_ID_LENGTH)).min(1).max(MAX_BULK_OPS).optional(),
    filter: z
      .strictObject({
        status: z.enum(OP_STATUSES as [OpStatus, ...OpStatus[]]).optional(),
        action: z.string().min(1).max(128).optional(),
      })
      .optional(),
  })
  .refine((b) => (b.ids === undefined) !== (b.filter === undefined), { message: "give exactly one of ids or filter", path: ["ids"] });

export interface BulkResult {
  matched: number;
  changed: number;
  skipped: Array<{ id: string; reason: string }>;
}

export function registerBulkRoute(app: Hono, deps: AdminDeps): void {
  app.post(`${BASE}/bulk`, async (c) => {
    const body = await readJsonBody(c, { required: true });
    const parsed = bulkBodySchema.safeParse(body);
    if (!parsed.success) throw toValidationError(parsed.error);
    const { action, ids, filter } = parsed.data;
    const targets = ids ? [...new Set(ids)] : await selectByFilter(deps, filter ?? {});
    return c.json(await runBulk(app, deps, action, targets));
  });
}

export async function runBulk(app: Hono, deps: AdminDeps, action: BulkAction, ids: string[]): Promise<BulkResult> {
  const result: BulkResult = { matched: ids.length, changed: 0, skipped: [] };
  for (const id of ids) {
    const answer = await callApi(app, deps, "POST", `${BASE}/${encodeURIComponent(id)}/${action}`);
    if (answer.status >= 200 && answer.status < 300) result.changed++;
    else result.skipped.push({ id, reason: isMissingRoute(answer) ? "unsupported" : (answer.code ?? "unknown") });
  }
  return result;
}

/** Ids selected by a filter, newest first, through the indexed cursor listing (never a scan). */
async function selectByFilter(deps: AdminDeps, filter: { status?: OpStatus; action?: string }): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { ops: Array<{ id: string }>; next_cursor: string | null } = await deps.store.listOps({
      ...filter,
      limit: Math.min(PAGE, MAX_BULK_OPS - ids.length),
      cursor,
    });
    for (const op of page.ops) ids.push(op.id);
    cursor = page.next_cursor;
  } while (cursor !== null && ids.length < MAX_BULK_OPS);
  return ids;
}
