/**
 * A webhook dispatcher in its own process, for the crash test in dispatcher-crash.test.ts:
 * `dispatcher-worker.fixture.ts <db path> <receiver url> <instance> <lease ms>`. It delivers with a
 * long request timeout (so a hung receiver keeps it mid-delivery) and prints "started".
 */
import { pino } from "pino";
import { systemClock } from "../clock.js";
import { createWebhookDispatcher } from "./create-webhook-dispatcher.js";
import { openSqliteStore } from "@courier/sqlite";

async function main(): Promise<void> {
  const [path, url, instanceId, leaseArg] = process.argv.slice(2);
  if (!path || !url || !instanceId || !leaseArg) throw new Error("usage: dispatcher-worker <path> <url> <instance> <lease ms>");
  const store = await openSqliteStore(path);
  const d = createWebhookDispatcher({
    store,
    url,
    secrets: ["crash-test-secret"],
    clock: systemClock,
    logger: pino({ level: "silent" }),
    instanceId,
    fetchTimeoutMs: 60_000,
    leaseMs: Number(leaseArg),
    pollIntervalMs: 10,
  });
  d.start();
  process.stdout.write("started\n");
  // Runs until killed; the bound keeps a leaked worker from living forever.
  setTimeout(() => process.exit(2), 60_000);
}

void main();
