import { type AuditRow, rowToAudit, type SyncVerbs } from "@courier/agent";
import type { Db } from "./db.js";
import { clampLimit } from "./limits.js";

/** Audit trail (restarts, overrides, pauses…), newest first when listed. */
export function createAuditVerbs(db: Db): SyncVerbs<"audit" | "listAudit"> {
  const insert = db.prepare("INSERT INTO audit (at, instance, kind, op_id, data) VALUES (@at, @instance, @kind, @op_id, @data)");
  const all = db.prepare<[number], AuditRow>("SELECT * FROM audit ORDER BY id DESC LIMIT ?");
  const byKind = db.prepare<[string, number], AuditRow>("SELECT * FROM audit WHERE kind = ? ORDER BY id DESC LIMIT ?");
  return {
    audit: (e) => {
      insert.run({ at: e.at, instance: e.instance, kind: e.kind, op_id: e.op_id, data: JSON.stringify(e.data ?? {}) });
    },
    listAudit: (a) => {
      const limit = clampLimit(a.limit, 1000);
      return (a.kind === undefined ? all.all(limit) : byKind.all(a.kind, limit)).map(rowToAudit);
    },
  };
}
