import { decodeOpCursor as decodeCursor, getOpPage, type Op, type OpListFilter } from "@courier/agent";
import type { Db } from "./db.js";
import { clampLimit } from "./limits.js";
import type { OpRow } from "./row-mapping.js";

export const MAX_LIST_LIMIT = 500;

type Statement = ReturnType<Db["prepare"]>;

/**
 * Ops newest first (created_at DESC, id DESC), filtered by status and/or action, paged by an
 * opaque cursor: base64url of the last row's sort key. Keyset paging keeps every page an index
 * range scan however deep the operator pages.
 */
export function createListOps(db: Db): (filter: OpListFilter) => { ops: Op[]; next_cursor: string | null } {
  // One statement per filter shape, prepared on first use and kept.
  const statements = new Map<string, Statement>();
  function statementFor(status: boolean, action: boolean, cursor: boolean): Statement {
    const key = `${status}|${action}|${cursor}`;
    let stmt = statements.get(key);
    if (!stmt) {
      const where: string[] = [];
      if (status) where.push("status = @status");
      if (action) where.push("action = @action");
      if (cursor) where.push("(created_at, id) < (@c_at, @c_id)");
      stmt = db.prepare(
        `SELECT * FROM ops ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at DESC, id DESC LIMIT @limit`,
      );
      statements.set(key, stmt);
    }
    return stmt;
  }

  return (f) => {
    const limit = clampLimit(f.limit, MAX_LIST_LIMIT);
    const cursor = f.cursor ? decodeCursor(f.cursor) : null;
    const params: Record<string, unknown> = { limit: limit + 1 };
    if (f.status) params.status = f.status;
    if (f.action) params.action = f.action;
    if (cursor) {
      params.c_at = cursor.created_at;
      params.c_id = cursor.id;
    }
    const rows = statementFor(Boolean(f.status), Boolean(f.action), cursor !== null).all(params) as OpRow[];
    return getOpPage(rows, limit);
  };
}
