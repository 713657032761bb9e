/**
 * Issue 14 (3): a store file that is read-only, or sits in a read-only directory, at start: the
 * process starts in safe mode (admin up, /readyz 503 naming the path and the fix, writes 503,
 * nothing claimed) instead of exiting 1 with a bare SQLite message. Permissions do not bind root,
 * so under root the process runs as `nobody`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "@courier/sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getFreePort, postJson, waitFor } from "../../../../test/e2e/courier-process.js";
import { getCleanEnv, getCliArgv, captureOutput } from "@courier/testing";

const NOBODY = 65_534;
let dir: string;
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "courier-readonly-"));
  chmodSync(dir, 0o777);
});
afterEach(() => {
  for (const c of children.splice(0)) c.kill("SIGKILL");
  // The directory may have been made read-only by the test.
  for (const sub of ["ro-dir", "ro-file"]) {
    try {
      chmodSync(join(dir, sub), 0o755);
    } catch {
      // not created by this test
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

async function createStore(path: string): Promise<void> {
  mkdirSync(join(path, ".."), { recursive: true });
  await (await openSqliteStore(path)).close();
}

/** `courier start` as a user the permissions bind (nobody under root); resolves when ready. */
async function startAs(db: string, adminPort: number): Promise<{ child: ChildProcess; stdout: () => string; stderr: () => string }> {
  const asRoot = process.getuid?.() === 0;
  const child = spawn(process.execPath, getCliArgv(["start", "--no-demo"]), {
    cwd: dir,
    env: getCleanEnv({ COURIER_DB: db, COURIER_ADMIN_PORT: String(adminPort), COURIER_LOCALNET_PORT: "0", COURIER_LOG_LEVEL: "info", HOME: dir }),
    stdio: ["ignore", "pipe", "pipe"],
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  children.push(child);
  const output = captureOutput(child);
  await waitFor("courier ready", async () => {
    if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${output.stderr()}`);
    return output.stderr().includes("courier ready:") ? true : undefined;
  }, 90_000, 100);
  return { child, stdout: () => output.stdout(), stderr: () => output.stderr() };
}

describe("courier start on a read-only store", () => {
  for (const kind of ["read-only file", "read-only directory"] as const) {
    it(`${kind}: starts in safe mode with the path and the fix`, { timeout: 150_000 }, async () => {
      const sub = kind === "read-only file" ? "ro-file" : "ro-dir";
      const db = join(dir, sub, "courier.db");
      await createStore(db);
      chmodSync(join(dir, sub), kind === "read-only file" ? 0o777 : 0o555);
      chmodSync(db, kind === "read-only file" ? 0o444 : 0o644);
      const port = await getFreePort();
      const courier = await startAs(db, port);
      const admin = `http://127.0.0.1:${port}`;
      const res = await fetch(`${admin}/readyz`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { reasons: string[]; recommended_action: string };
      expect(body.reasons.join(" ")).toMatch(/safe mode .*read-only/);
      expect(body.reasons.join(" ")).toContain(db);
      expect(body.recommended_action).toMatch(/writable.*restart courier/);
      expect(body.recommended_action).toContain(join(dir, sub));

      const refused = await postJson<{ error: { code: string; message: string } }>(`${admin}/admin/api/courier/ops`, { action: "memo", params: { text: "x" } });
      expect(refused.status).toBe(503);
      expect(refused.body.error.message).toMatch(/safe mode/);
      // Reads still answer.
      expect((await fetch(`${admin}/admin/api/courier/stats`)).status).toBe(200);
      expect(courier.stdout()).not.toContain('"op.start"');
      courier.child.kill("SIGTERM");
      const code = await new Promise<number | null>((resolve) => courier.child.once("exit", (c) => resolve(c)));
      expect(code).toBe(0);
    });
  }
});

