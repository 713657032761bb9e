import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeMemoOp, runCli, TEST_TIMEOUTS } from "@courier/testing";
import { openSqliteStore, type SqliteStore } from "@courier/sqlite";

let dir: string;
let db: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "courier-backup-"));
  db = join(dir, "courier.db");
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function withStore<T>(fn: (store: SqliteStore) => Promise<T>): Promise<T> {
  const store = await openSqliteStore(db);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

describe("courier backup / restore", { timeout: TEST_TIMEOUTS.childProcesses }, () => {
  it("backs up online and restores the backup, keeping the replaced store aside", async () => {
    await withStore((s) => s.createOp(makeMemoOp("op_before_backup")));
    const backupFile = join(dir, "backup.db");
    const backup = await runCli(["backup", backupFile], { COURIER_DB: db });
    expect(backup.code, backup.stderr).toBe(0);
    expect(JSON.parse(backup.stdout)).toMatchObject({ integrity: "ok" });

    // Refuses to overwrite an existing file.
    const again = await runCli(["backup", backupFile], { COURIER_DB: db });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);

    await withStore((s) => s.createOp(makeMemoOp("op_after_backup")));
    const restore = await runCli(["restore", backupFile], { COURIER_DB: db });
    expect(restore.code, restore.stderr).toBe(0);
    const result = JSON.parse(restore.stdout) as { previous_store: string };
    expect(existsSync(result.previous_store)).toBe(true);
    const ids = await withStore(async (s) => (await s.listOps({ limit: 10 })).ops.map((o) => o.id));
    expect(ids).toEqual(["op_before_backup"]);
    // The restored store starts paused: ops that ran after the backup look pending again.
    const control = await withStore((s) => s.getControl());
    expect(control).toMatchObject({ paused: true, paused_by: "courier restore" });
  });

  it("refuses to restore while a crank holds a live lease, or from a file that is not a store", async () => {
    await withStore(async (s) => {
      await s.createOp({ ...makeMemoOp("op_running"), next_exec: Date.now() - 1 });
      const claimed = await s.claimOne({ id: "op_running", now: Date.now(), owner: "crank-x", lease_ms: 60_000 });
      expect(claimed).not.toBeNull();
    });
    const backupFile = join(dir, "backup.db");
    expect((await runCli(["backup", backupFile], { COURIER_DB: db })).code).toBe(0);
    const refused = await runCli(["restore", backupFile], { COURIER_DB: db });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
    expect(refused.stderr).toMatch(/live lease/);

    const garbage = join(dir, "garbage.db");
    writeFileSync(garbage, "this is not a SQLite database, just text long enough to have a header".repeat(20));
    const [missing, notAStore] = await Promise.all([
      runCli(["restore", join(dir, "nope.db")], { COURIER_DB: db }),
      runCli(["restore", garbage], { COURIER_DB: db }),
    ]);
    expect(missing.code).toBe(2);
    expect(notAStore.code).toBe(1);
    expect(notAStore.stderr.trim().split("\n")).toHaveLength(1);
    // Nothing was replaced.
    expect(await withStore(async (s) => (await s.getOp("op_running"))?.status)).toBe("running");
  });
});
