/**
 * Restoring over a corrupt store (the reason to restore): its leases cannot be read, so restore
 * refuses without --force (one line saying so) and replaces it with --force, keeping it aside.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCorruptStore, runCli, TEST_TIMEOUTS } from "@courier/testing";
import { openSqliteStore } from "@courier/sqlite";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "courier-restore-corrupt-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("courier restore over a corrupt store", { timeout: TEST_TIMEOUTS.childProcesses }, () => {
  it("refuses without --force, restores with it, and the result passes the integrity check", async () => {
    const db = join(dir, "courier.db");
    const backup = join(dir, "backup.db");
    await (await openSqliteStore(backup)).close();
    await createCorruptStore(db);

    const refused = await runCli(["restore", backup], { COURIER_DB: db });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
    expect(refused.stderr).toMatch(/is corrupt, so live leases cannot be checked .*rerun with --force/);

    const forced = await runCli(["restore", "--force", backup], { COURIER_DB: db });
    expect(forced.code, forced.stderr).toBe(0);
    const result = JSON.parse(forced.stdout) as { previous_store: string };
    expect(existsSync(result.previous_store)).toBe(true);
    const store = await openSqliteStore(db);
    try {
      expect(await store.integrityCheck()).toEqual({ ok: true, detail: "ok" });
    } finally {
      await store.close();
    }
  });
});
