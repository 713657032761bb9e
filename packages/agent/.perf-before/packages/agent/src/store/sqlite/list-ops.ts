import { CourierError, coerceError } from "../../errors.js";
import type { Op, OpListFilter } from "../../types.js";
import type { Db } from "./db.js";
import { clampLimit } from "./limits.js";
import { type OpRow, rowToOp } from "./row-mapping.js";

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
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const next_cursor = rows.length > limit && last ? encodeCursor({ created_at: last.created_at, id: last.id }) : null;
    return { ops: page.map(rowToOp), next_cursor };
  };
}

interface CursorKey {
  created_at: number;
  id: string;
}

function encodeCursor(k: CursorKey): string {
  return Buffer.from(JSON.stringify([k.created_at, k.id])).toString("base64url");
}

function decodeCursor(cursor: string): CursorKey {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch (e) {
    throw new CourierError("COURIER__VALIDATION", "invalid cursor", { field: "cursor" }, { cause: coerceError(e) });
  }
  if (Array.isArray(v) && v.length === 2 && Number.isFinite(v[0]) && typeof v[1] === "string") {
    return { created_at: v[0] as number, id: v[1] };
  }
  throw new CourierError("COURIER__VALIDATION", "invalid cursor", { field: "cursor" });
}
