import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { CourierError, coerceError } from "@courier/agent";
import { explainDueLookup } from "./claim-due.js";
import type { Db } from "./db.js";

/** What only the SQLite store has (doctor, backup, tests), beside the verbs every store has. */
export interface SqliteExtras {
  readonly path: string;
  /** `PRAGMA integrity_check`; a corrupt file is reported, not thrown. */
  integrityCheck(): Promise<{ ok: boolean; detail: string }>;
  /** Online backup (consistent while other connections keep writing) to a new file. */
  backup(toPath: string): Promise<void>;
  /** EXPLAIN QUERY PLAN detail rows of the due-op lookup the claim uses. */
  explainDueLookup(): string[];
}

export function createSqliteExtras(db: Db, path: string, call: <T>(run: () => T) => Promise<T>): SqliteExtras {
  return {
    path,
    async integrityCheck() {
      try {
        const rows = await call(() => db.pragma("integrity_check") as Array<{ integrity_check: string }>);
        const detail = rows.map((r) => r.integrity_check).join("\n");
        return { ok: detail === "ok", detail };
      } catch (e) {
        const err = coerceError(e);
        if (err.code === "COURIER__STORE__CORRUPT") return { ok: false, detail: err.message };
        throw err;
      }
    },
    async backup(toPath) {
      if (resolve(toPath) === resolve(path)) {
        throw new CourierError("COURIER__VALIDATION", "backup target is the store itself", { field: "path" });
      }
      try {
        mkdirSync(dirname(resolve(toPath)), { recursive: true });
        await db.backup(toPath);
      } catch (e) {
        throw coerceError(e, "COURIER__STORE__UNAVAILABLE");
      }
    },
    explainDueLookup: () => explainDueLookup(db),
  };
}
