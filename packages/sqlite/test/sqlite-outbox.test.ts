import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { makeNewOp, T0 } from "@courier/testing";
import { MIGRATIONS } from "../src/migrations.js";
import { openSqliteStore } from "../src/open.js";

const root = mkdtempSync(join(tmpdir(), "courier-store-outbox-"));
let n = 0;
const freshPath = () => {
  const dir = join(root, `t${++n}`);
  mkdirSync(dir, { recursive: true });
  return join(dir, "courier.db");
};
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("SqliteStore outbox and alerts (SQLite specifics)", () => {
  it("a store at schema 1 with undelivered outbox rows migrates to 2 and delivers them", async () => {
    const path = freshPath();
    const raw = new Database(path);
    raw.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT");
    raw.exec(MIGRATIONS[0] as string);
    raw.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (1, 0)").run();
    raw.pragma("user_version = 1");
    raw
      .prepare("INSERT INTO outbox (event_id, type, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?)")
      .run("old-1", "op.succeeded", JSON.stringify({ op_id: "op_1" }), T0, T0);
    raw.close();

    const store = await openSqliteStore(path);
    try {
      const [item] = await store.claimOutbox({ now: T0, limit: 10, owner: "d", lease_ms: 1_000 });
      expect(item).toMatchObject({ event_id: "old-1", payload: { op_id: "op_1" }, attempts: 1 });
      await store.markOutboxDelivered({ id: item!.id, owner: "d", now: T0 });
      expect(await store.outboxSummary()).toEqual({ pending: 0, delivered: 1, dead: 0, oldest_pending_at: null });
      expect(await store.transitionAlert({ key: "k", state: "firing", now: T0, data: {} })).toBe(true);
    } finally {
      await store.close();
    }
  });

  it("countOverdue counts pending ops due before the bound only", async () => {
    const store = await openSqliteStore(freshPath());
    try {
      await store.createOp(makeNewOp({ next_exec: T0 - 10 }));
      await store.createOp(makeNewOp({ next_exec: T0 - 5 }));
      const { op } = await store.createOp(makeNewOp({ next_exec: T0 - 1 }));
      await store.createOp(makeNewOp({ next_exec: T0 }));
      await store.claimOne({ id: op.id, now: T0, owner: "a", lease_ms: 1_000 }); // running: not overdue
      expect(await store.countOverdue({ before: T0 })).toBe(2);
      expect(await store.countOverdue({ before: T0 - 5 })).toBe(1);
      expect(await store.countOverdue({ before: T0 - 100 })).toBe(0);
    } finally {
      await store.close();
    }
  });
});
