/**
 * `courier start` under systemd's notify protocol, as a real process: with NOTIFY_SOCKET and
 * WATCHDOG_USEC set it runs `systemd-notify READY=1` after the crank loop's first iteration, then
 * `WATCHDOG=1` while the loop runs, and `STOPPING=1` on SIGTERM. The `systemd-notify` found on
 * PATH here records its arguments (the real one talks to PID 1, which a test cannot host).
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getFreePort, killAllCourierProcesses, startCourierProcess, stopCourierProcess, waitFor } from "../e2e/courier-process.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "courier-notify-"));
});
afterEach(() => {
  killAllCourierProcesses();
  rmSync(dir, { recursive: true, force: true });
});

describe("systemd notify", () => {
  it("signals READY after the first loop iteration, pings the watchdog, and says STOPPING on SIGTERM", async () => {
    const bin = join(dir, "bin");
    const log = join(dir, "notify.log");
    mkdirSync(bin);
    writeFileSync(join(bin, "systemd-notify"), `#!/bin/sh\necho "$NOTIFY_SOCKET $*" >> "${log}"\n`);
    chmodSync(join(bin, "systemd-notify"), 0o755);
    const p = await startCourierProcess({
      args: ["--no-demo"],
      cwd: dir,
      env: {
        PATH: `${bin}:${process.env.PATH ?? ""}`,
        NOTIFY_SOCKET: "/run/systemd/notify",
        // 3 s: a ping at least every second.
        WATCHDOG_USEC: "3000000",
        COURIER_DB: join(dir, "courier.db"),
        COURIER_LOCALNET_PORT: "0",
        COURIER_ADMIN_PORT: String(await getFreePort()),
      },
    });
    const lines = () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : []);
    await waitFor("READY=1 and two watchdog pings", async () => (lines().filter((l) => l.endsWith("WATCHDOG=1")).length >= 2 ? true : undefined), 60_000, 200);
    expect(lines()[0]).toBe("/run/systemd/notify READY=1");
    expect(await stopCourierProcess(p)).toBe(0);
    expect(lines()).toContain("/run/systemd/notify STOPPING=1");
  });
});
