import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { systemClock } from "../clock.js";
import { createWebhookDispatcher } from "./create-webhook-dispatcher.js";
import { startTestReceiver } from "./receiver.fixture.js";
import { openSqliteStore } from "@courier/sqlite";
import { waitFor } from "@courier/testing";

const here = dirname(fileURLToPath(import.meta.url));
const root = mkdtempSync(join(tmpdir(), "courier-webhook-crash-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));


describe("webhook dispatcher across a crash", () => {
  it("a dispatcher SIGKILLed mid-delivery loses nothing: another instance redelivers after the lease", async () => {
    const path = join(root, "shared.db");
    const store = await openSqliteStore(path);
    const receiver = await startTestReceiver({ secrets: ["crash-test-secret"], mode: "hang" });
    const ids = ["evt_crash_1", "evt_crash_2", "evt_crash_3"];
    for (const event_id of ids) await store.enqueueOutbox({ event_id, type: "op.dead", payload: { event_id }, now: Date.now() });

    const child = spawn(process.execPath, ["--import", "tsx", join(here, "dispatcher-worker.fixture.ts"), path, receiver.url, "doomed", "1000"], {
      cwd: join(here, "../../../.."),
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = once(child, "exit");
    try {
      // Every item is mid-delivery in the child (loading the child takes long on a loaded machine).
      await waitFor("every item mid-delivery in the child", () => receiver.inFlight === 3, { timeoutMs: 60_000 });
      child.kill("SIGKILL");
      await exited;
      receiver.mode = "ok";

      const survivor = createWebhookDispatcher({
        store,
        url: receiver.url,
        secrets: ["crash-test-secret"],
        clock: systemClock,
        logger: pino({ level: "silent" }),
        instanceId: "survivor",
        pollIntervalMs: 10,
      });
      survivor.start();
      await waitFor("all three delivered by the survivor", async () => (await store.outboxSummary()).delivered === 3, { timeoutMs: 15_000 });
      await survivor.stop();
      expect(receiver.delivered().map((d) => d.id).sort()).toEqual(ids);
      expect(receiver.delivered().every((d) => d.verified)).toBe(true);
      expect(await store.outboxSummary()).toEqual({ pending: 0, delivered: 3, dead: 0, oldest_pending_at: null });
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await receiver.close();
      await store.close();
    }
  }, 100_000);
});
