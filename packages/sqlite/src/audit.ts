import type { AuditEvent, SyncVerbs } from "@courier/agent";
import type { Db } from "./db.js";
import { clampLimit } from "./limits.js";

interface AuditRow {
  id: number;
  at: number;
  instance: string | null;
  kind: string;
  op_id: string | null;
  data: string;
}

/** Audit trail (restarts, overrides, pauses…), newest first when listed. */
export function createAuditVerbs(db: Db): SyncVerbs<"audit" | "listAudit"> {
  const insert = db.prepare("INSERT INTO audit (at, instance, kind, op_id, data) VALUES (@at, @instance, @kind, @op_id, @data)");
  const all = db.prepare<[number], AuditRow>("SELECT * FROM audit ORDER BY id DESC LIMIT ?");
  const byKind = db.prepare<[string, number], AuditRow>("SELECT * FROM audit WHERE kind = ? ORDER BY id DESC LIMIT ?");
  const toEvent = (r: AuditRow): AuditEvent => ({
    id: r.id,
    at: r.at,
    instance: r.instance,
    kind: r.kind,
    op_id: r.op_id,
    data: JSON.parse(r.data) as Record<string, unknown>,
  });
  return {
    audit: (e) => {
      insert.run({ at: e.at, instance: e.instance, kind: e.kind, op_id: e.op_id, data: JSON.stringify(e.data ?? {}) });
    },
    listAudit: (a) => {
      const limit = clampLimit(a.limit, 1000);
      return (a.kind === undefined ? all.all(limit) : byKind.all(a.kind, limit)).map(toEvent);
    },
  };
}
