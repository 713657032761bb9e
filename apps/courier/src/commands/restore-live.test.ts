/**
 * Issue 14 (1): `courier restore` against a live `courier start` process, and a store file
 * replaced under a live process.
 * - Refused (exit 1, one line) while the process is running, paused or halted, also well after
 *   a lease period without a tick (a paused or halted crank keeps its heartbeat, not its ticks);
 *   allowed once the process has stopped.
 * - A file replaced under the live process (moved aside, another copied in) is detected by its
 *   heartbeat: safe mode, /readyz 503 saying why, writes refused with 503, nothing claimed.
 */
import { copyFileSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "@courier/sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type CourierProcess,
  getFreePort,
  killAllCourierProcesses,
  postJson,
  startCourierProcess,
  stopCourierProcess,
  waitFor,
} from "../../../../test/e2e/courier-process.js";
import { runCli } from "@courier/testing";

const LEASE_MS = 1_500;
let dir: string;
let db: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "courier-restore-live-"));
  db = join(dir, "courier.db");
});
afterEach(() => {
  killAllCourierProcesses();
  rmSync(dir, { recursive: true, force: true });
});

async function startCourier(): Promise<{ courier: CourierProcess; admin: string }> {
  const courier = await startCourierProcess({
    args: ["--no-demo"],
    cwd: dir,
    env: {
      COURIER_DB: db,
      COURIER_ADMIN_PORT: String(await getFreePort()),
      COURIER_LOCALNET_PORT: "0",
      COURIER_LOCALNET_SLOT_MS: "20",
      COURIER_LEASE_MS: String(LEASE_MS),
      COURIER_LOG_LEVEL: "info",
    },
  });
  return { courier, admin: courier.adminUrl as string };
}

/** Longer than a lease and several heartbeats: a tick-based liveness check would have let restore through. */
const pastALease = () => new Promise((r) => setTimeout(r, 3 * LEASE_MS));

describe("courier restore with a live crank process", () => {
  it("is refused while the process runs, is paused or is halted; allowed once it stopped", { timeout: 240_000 }, async () => {
    const backup = join(dir, "backup.db");
    await (await openSqliteStore(backup)).close();
    const { courier, admin } = await startCourier();
    const env = { COURIER_DB: db, COURIER_LEASE_MS: String(LEASE_MS) };
    const expectRefused = async (state: string) => {
      const refused = await runCli(["restore", backup], env);
      expect(refused.code, `${state}: ${refused.stderr}`).toBe(1);
      expect(refused.stderr.trim().split("\n"), state).toHaveLength(1);
      expect(refused.stderr, state).toMatch(/is alive on this store .*stop every courier process/);
    };

    await expectRefused("running");

    expect((await postJson(`${admin}/admin/api/courier/pause`, {})).status).toBe(200);
    await pastALease();
    await expectRefused("paused");
    expect((await postJson(`${admin}/admin/api/courier/resume`, {})).status).toBe(200);

    // A halt (as the supervisor sets it when its circuit opens), written by another connection.
    const other = await openSqliteStore(db);
    await other.setHalted({ halted: true, reason: "test halt", now: Date.now() });
    await other.close();
    await waitFor("the crank halted", async () => (courier.stdout().includes('"state":"halted"') ? true : undefined), 30_000, 100);
    await pastALease();
    await expectRefused("halted");

    expect(await stopCourierProcess(courier)).toBe(0);
    const restored = await runCli(["restore", backup], env);
    expect(restored.code, restored.stderr).toBe(0);
  });

  it("a store file replaced under the live process puts it in safe mode: /readyz says why, writes answer 503", { timeout: 180_000 }, async () => {
    const { courier, admin } = await startCourier();
    const backup = join(dir, "backup.db");
    expect((await runCli(["backup", backup], { COURIER_DB: db })).code).toBe(0);
    // What a restore without the liveness check did: move the live file aside, copy another in.
    renameSync(db, join(dir, "courier.db.moved"));
    copyFileSync(backup, db);

    const readyz = await waitFor(
      "/readyz reporting the replaced file",
      async () => {
        const res = await fetch(`${admin}/readyz`);
        const body = (await res.json()) as { reasons: string[]; recommended_action: string };
        return res.status === 503 && body.reasons.join(" ").includes("replaced") ? body : undefined;
      },
      30_000,
      100,
    );
    expect(readyz.reasons.join(" ")).toMatch(/safe mode .*no longer the file this process opened/);
    expect(readyz.recommended_action).toMatch(/restart courier/);
    expect(courier.stdout()).toContain('"msg":"store.file_replaced"');

    const refused = await postJson<{ error: { code: string; message: string } }>(`${admin}/admin/api/courier/ops`, { action: "memo", params: { text: "x" } });
    expect(refused.status).toBe(503);
    expect(refused.body.error.message).toMatch(/safe mode/);
    const opStartsBefore = courier.stdout().split('"op.start"').length;
    await pastALease();
    expect(courier.stdout().split('"op.start"').length).toBe(opStartsBefore);
    expect(await stopCourierProcess(courier)).toBe(0);
  });
});
