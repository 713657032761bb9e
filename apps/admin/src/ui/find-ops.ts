/**
 * The ops page's query: a search (an op id, else an idempotency key: both unique indexes) or a
 * filtered cursor page. A filter the API would refuse is reported on the page, not thrown.
 */
import { OP_STATUSES, type Op, type OpStatus } from "@courier/agent";
import type { AdminDeps } from "../types.js";
import type { Notice } from "./layout.js";
import type { OpsQuery } from "./ops-page.js";

export interface FoundOps {
  ops: Op[];
  next_cursor: string | null;
  notice?: Notice;
}

export async function findOps(deps: AdminDeps, query: OpsQuery, limit: number): Promise<FoundOps> {
  if (query.q) {
    if (query.q.length > 256) return { ops: [], next_cursor: null, notice: { kind: "error", text: "Search text is too long." } };
    const op = (await deps.store.getOp(query.q)) ?? (await deps.store.getOpByIdempotencyKey(query.q));
    return { ops: op ? [op] : [], next_cursor: null };
  }
  if (query.status && !(OP_STATUSES as readonly string[]).includes(query.status)) {
    return { ops: [], next_cursor: null, notice: { kind: "error", text: `Unknown status "${query.status.slice(0, 40)}".` } };
  }
  if ((query.action?.length ?? 0) > 128 || (query.cursor?.length ?? 0) > 512) {
    return { ops: [], next_cursor: null, notice: { kind: "error", text: "Filter or page link is too long." } };
  }
  return deps.store.listOps({
    status: (query.status as OpStatus | null) ?? undefined,
    action: query.action ?? undefined,
    limit,
    cursor: query.cursor,
  });
}
