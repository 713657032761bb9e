import type { Op } from "@courier/agent";
import type { Db } from "../db/db.js";
import { type OpRow, rowToOp } from "../db/row-mapping.js";

export function createGetOp(db: Db): (id: string) => Promise<Op | null> {
  return async (id) => {
    const { rows } = await db.pool.query<OpRow>("SELECT * FROM ops WHERE id = $1", [id]);
    return rows[0] ? rowToOp(rows[0]) : null;
  };
}

/** Earliest next_exec among pending ops (served by the partial due index). */
export function createNextDueAt(db: Db): () => Promise<number | null> {
  return async () => {
    const { rows } = await db.pool.query<{ t: number | null }>("SELECT MIN(next_exec) AS t FROM ops WHERE status = 'pending'");
    return rows[0]?.t ?? null;
  };
}
