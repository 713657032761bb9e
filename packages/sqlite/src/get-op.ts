import type { Op } from "@courier/agent";
import type { Db } from "./db.js";
import { type OpRow, rowToOp } from "./row-mapping.js";

export function createGetOp(db: Db): (id: string) => Op | null {
  const select = db.prepare<[string], OpRow>("SELECT * FROM ops WHERE id = ?");
  return (id) => {
    const row = select.get(id);
    return row ? rowToOp(row) : null;
  };
}

/** Earliest next_exec among pending ops (served by the partial due index). */
export function createNextDueAt(db: Db): () => number | null {
  const select = db.prepare<[], { t: number | null }>("SELECT MIN(next_exec) AS t FROM ops INDEXED BY ops_due WHERE status = 'pending'");
  return () => select.get()?.t ?? null;
}
