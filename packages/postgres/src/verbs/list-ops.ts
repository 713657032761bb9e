import { decodeOpCursor as decodeCursor, getOpPage, type Op, type OpListFilter } from "@courier/agent";
import type { Db } from "../db/db.js";
import { clampLimit, type OpRow } from "../db/row-mapping.js";

export const MAX_LIST_LIMIT = 500;

/**
 * Ops newest first (created_at DESC, id DESC), filtered by status and/or action, paged by an
 * opaque cursor: base64url of the last row's sort key — the same cursor format as the SQLite
 * store, so a cursor means the same thing whichever store served the first page.
 */
export function createListOps(db: Db): (filter: OpListFilter) => Promise<{ ops: Op[]; next_cursor: string | null }> {
  return async (f) => {
    const limit = clampLimit(f.limit, MAX_LIST_LIMIT);
    const cursor = f.cursor ? decodeCursor(f.cursor) : null;
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.status) {
      params.push(f.status);
      where.push(`status = $${params.length}`);
    }
    if (f.action) {
      params.push(f.action);
      where.push(`action = $${params.length}`);
    }
    if (cursor) {
      params.push(cursor.created_at, cursor.id);
      where.push(`(created_at, id) < ($${params.length - 1}::bigint, $${params.length}::text)`);
    }
    params.push(limit + 1);
    const sql = `SELECT * FROM ops ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`;
    const { rows } = await db.pool.query<OpRow>(sql, params);
    return getOpPage(rows, limit);
  };
}
