import { type AuditRow, rowToAudit, type Store } from "@courier/agent";
import type { Db } from "../db/db.js";
import { clampLimit } from "../db/row-mapping.js";

/** Audit trail (restarts, overrides, pauses…), newest first when listed. */
export function createAuditVerbs(db: Db): Pick<Store, "audit" | "listAudit"> {
  return {
    audit: async (e) => {
      await db.pool.query("INSERT INTO audit (at, instance, kind, op_id, data) VALUES ($1, $2, $3, $4, $5)", [
        e.at,
        e.instance,
        e.kind,
        e.op_id,
        JSON.stringify(e.data ?? {}),
      ]);
    },
    listAudit: async (a) => {
      const limit = clampLimit(a.limit, 1000);
      const { rows } =
        a.kind === undefined
          ? await db.pool.query<AuditRow>("SELECT * FROM audit ORDER BY id DESC LIMIT $1", [limit])
          : await db.pool.query<AuditRow>("SELECT * FROM audit WHERE kind = $1 ORDER BY id DESC LIMIT $2", [a.kind, limit]);
      return rows.map(rowToAudit);
    },
  };
}
