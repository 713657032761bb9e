/**
 * /readyz while the supervisor waits out a restart cooldown: 503 with the reason, through the
 * real admin app and a real supervisor whose loop crashed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock, createActionRegistry, createSupervisor } from "@courier/agent";
import { openSqliteStore } from "@courier/sqlite";
import { createAdminApp } from "@courier/admin";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { waitFor } from "@courier/testing";
import { getProcessReadiness } from "./process-readiness.js";

describe("process readiness", () => {
  it("is 503 during a supervisor restart cooldown and 200 once the loop runs again", async () => {
    const clock = new ManualClock();
    let crashes = 1;
    let release: () => void = () => {};
    const supervisor = createSupervisor({
      createLoop: () => ({
        start: () =>
          crashes-- > 0
            ? Promise.reject(new Error("boom"))
            : new Promise<void>((resolve) => {
                release = resolve;
              }),
        stop: async () => release(),
      }),
      store: { audit: async () => {}, getControl: async () => ({ paused: false, halted: false }) as never, setHalted: async () => ({}) as never },
      clock,
      logger: pino({ level: "silent" }),
      instanceId: "i1",
      restartCooldownMs: 60_000,
    });
    const dir = mkdtempSync(join(tmpdir(), "courier-readiness-"));
    const store = await openSqliteStore(join(dir, "courier.db"));
    const app = createAdminApp({
      store,
      registry: createActionRegistry(),
      clock,
      instanceId: "i1",
      readiness: () => getProcessReadiness({ safeMode: () => null, supervisorState: () => supervisor.state() }),
    });
    const fx = { request: (_method: string, path: string) => app.request(path) };
    try {
      const running = supervisor.start();
      await waitFor("the supervisor restarting", () => supervisor.state() === "restarting", { intervalMs: 10 });
      const res = await fx.request("GET", "/readyz");
      expect(res.status).toBe(503);
      const body = (await res.json()) as { reasons: string[]; recommended_action: string };
      expect(body.reasons.join(" ")).toMatch(/restarting after a crash \(supervisor cooldown\)/);
      expect(body.recommended_action).toMatch(/supervisor\.crash/);

      clock.advance(60_000);
      await waitFor("the supervisor running", () => supervisor.state() === "running", { intervalMs: 10 });
      expect((await fx.request("GET", "/readyz")).status).toBe(200);
      await supervisor.stop();
      await running;
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

