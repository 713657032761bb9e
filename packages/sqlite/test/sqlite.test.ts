import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { isCourierError } from "@courier/agent";
import { LEASE_MS, makeAttempt, makeNewOp, SUCCEED, T0 } from "@courier/testing";
import { MIGRATIONS } from "../src/migrations.js";
import { openSqliteStore } from "../src/open.js";

const root = mkdtempSync(join(tmpdir(), "courier-store-"));
let n = 0;
/** A fresh database path in its own (not yet existing) directory. */
const freshPath = () => join(root, `t${++n}`, "courier.db");
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("SqliteStore (SQLite specifics)", () => {
  it("opens with WAL, NORMAL sync and foreign keys, and migrates once", async () => {
    const path = freshPath();
    const store = await openSqliteStore(path);
    await store.createOp(makeNewOp());
    await store.close();
    const again = await openSqliteStore(path);
    expect((await again.listOps({ limit: 10 })).ops).toHaveLength(1);
    await again.close();

    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(raw.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
      expect(raw.prepare("SELECT version FROM schema_migrations ORDER BY version").all()).toEqual(
        MIGRATIONS.map((_, i) => ({ version: i + 1 })),
      );
      const tables = (raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((r) => r.name);
      expect(tables).toEqual(expect.arrayContaining(["ops", "attempts", "ticks", "instances", "control", "ledger", "spend", "audit", "outbox", "alerts"]));
    } finally {
      raw.close();
    }
  });

  it("the lifecycle migration (3) rebuilds ops without losing a row, an attempt or a count", async () => {
    const path = freshPath();
    const { mkdirSync } = await import("node:fs");
    const { dirname } = await import("node:path");
    mkdirSync(dirname(path), { recursive: true });
    // A store as the previous build left it: migrations 1 and 2, one op with an attempt and a ledger entry.
    const raw = new Database(path);
    raw.pragma("foreign_keys = ON");
    raw.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT");
    for (const v of [1, 2]) {
      raw.exec(MIGRATIONS[v - 1] as string);
      raw.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, 0)").run(v);
    }
    raw.exec(`INSERT INTO ops (id, action, params, status, schedule, next_exec, due_at, created_at, updated_at, max_attempts, misfire)
      VALUES ('op_old', 'memo', '{}', 'pending', '{"kind":"every","every_ms":1000,"anchor":0}', 5, 5, 0, 0, 3, 'skip')`);
    raw.exec(`INSERT INTO attempts (op_id, run, attempt, instance, action, started_at, ended_at, outcome, latency_ms)
      VALUES ('op_old', 1, 1, 'i', 'memo', 1, 2, 'ok', 1)`);
    raw.close();

    const store = await openSqliteStore(path);
    try {
      expect(await store.getOp("op_old")).toMatchObject({ status: "pending", on_failure: "stop", after_run: null, attempt_base: 0, ledger_floor: 0 });
      expect(await store.getAttempts("op_old")).toHaveLength(1);
      expect((await store.pauseOp({ id: "op_old", now: 10 }))?.op.status).toBe("paused");
      expect((await store.stats({ ticks: 1, now: 10 })).ops_by_status).toMatchObject({ pending: 0, paused: 1 });
      // The claim still goes through its index after the rebuild.
      expect(store.explainDueLookup().join(" ")).toMatch(/ops_due/);
    } finally {
      await store.close();
    }
  });

  it("refuses a store whose schema is newer than this build", async () => {
    const path = freshPath();
    await (await openSqliteStore(path)).close();
    const raw = new Database(path);
    raw.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, 0)").run(MIGRATIONS.length + 1);
    raw.close();
    await expect(openSqliteStore(path)).rejects.toSatisfy((e) => isCourierError(e, "COURIER__STORE__UNAVAILABLE"));
  });

  it("read-only: reads work, writes fail as unavailable, a missing file is refused", async () => {
    const path = freshPath();
    const rw = await openSqliteStore(path);
    const { op } = await rw.createOp(makeNewOp());
    const ro = await openSqliteStore(path, { readonly: true });
    expect(await ro.getOp(op.id)).toEqual(op);
    await expect(ro.createOp(makeNewOp())).rejects.toSatisfy((e) => isCourierError(e, "COURIER__STORE__UNAVAILABLE"));
    await ro.close();
    await rw.close();
    await expect(openSqliteStore(freshPath(), { readonly: true })).rejects.toSatisfy((e) => isCourierError(e, "COURIER__STORE__UNAVAILABLE"));
  });

  it("a held write lock surfaces as COURIER__STORE__BUSY after bounded retries", async () => {
    const path = freshPath();
    const store = await openSqliteStore(path, { busyTimeoutMs: 1 });
    await store.createOp(makeNewOp());
    const blocker = new Database(path);
    blocker.exec("BEGIN IMMEDIATE");
    try {
      await expect(store.claimDue({ now: T0, limit: 10, owner: "a", lease_ms: LEASE_MS })).rejects.toSatisfy((e) =>
        isCourierError(e, "COURIER__STORE__BUSY"),
      );
    } finally {
      blocker.exec("ROLLBACK");
      blocker.close();
    }
    expect(await store.claimDue({ now: T0, limit: 10, owner: "a", lease_ms: LEASE_MS })).toHaveLength(1);
    await store.close();
    await expect(store.getOp("x")).rejects.toSatisfy((e) => isCourierError(e, "COURIER__STORE__UNAVAILABLE"));
  });

  it("the claim finds due ops through the partial index and updates them by id, never scanning ops", async () => {
    const store = await openSqliteStore(freshPath());
    try {
      for (let i = 0; i < 50; i++) await store.createOp(makeNewOp({ next_exec: T0 + i * 1000 }));
      const plan = store.explainDueLookup();
      expect(plan).toContainEqual(expect.stringMatching(/^SEARCH ops USING (COVERING )?INDEX ops_due \(next_exec<\?\)/));
      expect(plan).toContainEqual(expect.stringMatching(/^SEARCH ops USING INDEX sqlite_autoindex_ops_1 \(id=\?\)/));
      expect(plan.filter((d) => /\bSCAN ops\b|TEMP B-TREE|ops_status_created/.test(d))).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it("integrity check passes and an online backup opens as a store with the same data", async () => {
    const path = freshPath();
    const store = await openSqliteStore(path);
    const { op } = await store.createOp(makeNewOp());
    expect(await store.integrityCheck()).toEqual({ ok: true, detail: "ok" });
    const target = join(root, `backup${++n}`, "copy.db");
    await store.backup(target);
    await expect(store.backup(path)).rejects.toSatisfy((e) => isCourierError(e, "COURIER__VALIDATION"));
    await store.close();
    const copy = await openSqliteStore(target);
    expect(await copy.getOp(op.id)).toEqual(op);
    await copy.close();
  });

  it("two connections claiming one file concurrently: every op claimed exactly once", async () => {
    const path = freshPath();
    const a = await openSqliteStore(path);
    const b = await openSqliteStore(path);
    try {
      const total = 1000;
      for (let i = 0; i < total; i++) await (i % 2 ? a : b).createOp(makeNewOp({ next_exec: T0 - (i % 37) }));
      const claimedBy = new Map<string, string>();
      const duplicates: string[] = [];
      const worker = async (store: typeof a, owner: string) => {
        for (let round = 0; round < total; round++) {
          const batch = await store.claimDue({ now: T0, limit: 1 + (round % 7), owner, lease_ms: LEASE_MS });
          if (batch.length === 0) return;
          for (const { op } of batch) {
            if (claimedBy.has(op.id)) duplicates.push(op.id);
            claimedBy.set(op.id, owner);
            expect(op.attempts).toBe(1);
            const ok = await store.finishAttempt({ id: op.id, owner, now: T0 + 1, transition: SUCCEED, attempt: makeAttempt({ op_id: op.id, instance: owner }) });
            expect(ok).toBe(true);
          }
        }
      };
      await Promise.all([worker(a, "A"), worker(b, "B"), worker(a, "A2"), worker(b, "B2")]);
      expect(duplicates).toEqual([]);
      expect(claimedBy.size).toBe(total);
      expect(new Set(claimedBy.values()).size).toBeGreaterThan(1);
      const stats = await a.stats({ ticks: 0, now: T0 + 2 });
      expect(stats.ops_by_status.succeeded).toBe(total);
      expect(stats.totals.succeeded).toBe(total);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
