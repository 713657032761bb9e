import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { pino } from "pino";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { ManualClock, systemClock } from "../clock.js";
import { makeAttempt, makeNewOp, SUCCEED, waitFor } from "@courier/testing";
import type { Clock } from "../types.js";
import { createWebhookDispatcher, type WebhookDispatcher, type WebhookDispatcherOptions } from "./create-webhook-dispatcher.js";
import { getClosedPort, startTestReceiver, type TestReceiver } from "./receiver.fixture.js";
import { openSqliteStore, type SqliteStore } from "@courier/sqlite";

const SECRETS = ["whsec_dGVzdC1zZWNyZXQta2V5LWJ5dGVzLTAxMjM0NTY3", "rotated-raw-secret"];

const root = mkdtempSync(join(tmpdir(), "courier-webhooks-"));
let n = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function openStore(): Promise<SqliteStore> {
  const store = await openSqliteStore(join(root, `t${++n}`, "courier.db"));
  cleanups.push(() => store.close());
  return store;
}

async function receiver(opts: Parameters<typeof startTestReceiver>[0]): Promise<TestReceiver> {
  const r = await startTestReceiver(opts);
  cleanups.push(() => r.close());
  return r;
}

function captureLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: "info" }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) });
  return { logger, lines, raw: () => lines.map((l) => JSON.stringify(l)).join("\n") };
}

function dispatcher(o: Partial<WebhookDispatcherOptions> & Pick<WebhookDispatcherOptions, "store" | "url" | "logger"> & { clock?: Clock }): WebhookDispatcher {
  const d = createWebhookDispatcher({
    secrets: SECRETS,
    clock: systemClock,
    instanceId: "inst-a",
    backoff: { baseMs: 20, maxMs: 100, jitter: 0 },
    pollIntervalMs: 20,
    fetchTimeoutMs: 2_000,
    maxAttempts: 1_000,
    ...o,
  });
  cleanups.push(() => d.stop());
  return d;
}

/** Poll `pred` every 10 ms for at most `ms` (real time). */

async function enqueue(store: SqliteStore, count: number, now: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const event_id = `evt_test_${n}_${i}`;
    await store.enqueueOutbox({ event_id, type: "op.succeeded", payload: { op_id: `op_${i}`, i }, now });
    ids.push(event_id);
  }
  return ids;
}

describe("webhook dispatcher", () => {
  it("receiver down, then up: every event delivered exactly once, signed, and the logs hold no body or secret", async () => {
    const store = await openStore();
    const port = await getClosedPort();
    const ids = await enqueue(store, 12, Date.now());
    const log = captureLogger();
    const d = dispatcher({ store, url: `http://127.0.0.1:${port}/hooks?token=sekrit`, logger: log.logger });
    d.start();
    // Nothing listens: every item fails at least twice (retried with backoff), none is delivered.
    await waitFor("log.lines.filter((l) => l.event === 'webhook.retry').length >= 24", () => log.lines.filter((l) => l.event === "webhook.retry").length >= 24, { timeoutMs: 5_000 });
    expect((await store.outboxSummary()).delivered).toBe(0);

    const r = await receiver({ secrets: [SECRETS[1] as string], port });
    await waitFor("(await store.outboxSummary()).delivered === 12", async () => (await store.outboxSummary()).delivered === 12, { timeoutMs: 5_000 });
    await d.stop();
    expect(d.state).toBe("stopped");

    const delivered = r.delivered();
    expect(delivered.map((x) => x.id).sort()).toEqual([...ids].sort()); // once per event id
    expect(delivered.every((x) => x.verified)).toBe(true);
    const body = JSON.parse(delivered[0]?.body ?? "{}") as { type: string; timestamp: string; data: { op_id: string } };
    expect(body.type).toBe("op.succeeded");
    expect(typeof body.timestamp).toBe("string");
    expect(body.data.op_id).toMatch(/^op_\d+$/);
    expect(await store.outboxSummary()).toEqual({ pending: 0, delivered: 12, dead: 0, oldest_pending_at: null });

    const warn = log.lines.find((l) => l.event === "webhook.retry");
    expect(warn).toMatchObject({ event_id: expect.any(String), type: "op.succeeded", error: "network error: ECONNREFUSED" });
    for (const secret of [...SECRETS, "sekrit", "op_1", "v1,"]) expect(log.raw()).not.toContain(secret);
  });

  it("retries with capped exponential backoff, counting attempts, until the receiver accepts", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const store = await openStore();
    const r = await receiver({ secrets: SECRETS, mode: "fail", now: () => clock.now() });
    const [id] = await enqueue(store, 1, clock.now());
    const log = captureLogger();
    const d = dispatcher({ store, url: r.url, logger: log.logger, clock, backoff: { baseMs: 1_000, maxMs: 3_000, jitter: 0 } });

    const waits: number[] = [];
    let last = clock.now();
    expect(await d.deliverDue()).toBe(1);
    for (let guard = 0; guard < 50 && r.delivered().length === 0; guard++) {
      // step time 250 ms at a time and record when the next attempt became due
      clock.advance(250);
      if (r.requests.length === 4) r.mode = "ok";
      if ((await d.deliverDue()) === 1) {
        waits.push(clock.now() - last);
        last = clock.now();
      }
    }
    expect(waits).toEqual([1_000, 2_000, 3_000, 3_000]);
    expect(r.requests.map((x) => [x.id, x.verified])).toEqual(Array.from({ length: 5 }, () => [id, true]));
    expect(r.delivered()).toHaveLength(1);
    clock.advance(60_000);
    expect(await d.deliverDue()).toBe(0);
    expect(log.lines.filter((l) => l.event === "webhook.retry").map((l) => l.attempt)).toEqual([1, 2, 3, 4]);
  });

  it("gives up after maxAttempts: the item is dead, logged once as dead, and never sent again", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const store = await openStore();
    const r = await receiver({ secrets: SECRETS, mode: "fail", now: () => clock.now() });
    await enqueue(store, 1, clock.now());
    const log = captureLogger();
    const d = dispatcher({ store, url: r.url, logger: log.logger, clock, maxAttempts: 3, backoff: { baseMs: 100, maxMs: 100, jitter: 0 } });
    for (let i = 0; i < 10; i++) {
      await d.deliverDue();
      clock.advance(100);
    }
    expect(r.requests).toHaveLength(3);
    expect(await store.outboxSummary()).toMatchObject({ pending: 0, dead: 1, delivered: 0 });
    expect(log.lines.map((l) => l.event)).toEqual(["webhook.retry", "webhook.retry", "webhook.dead"]);
  });

  it("a hanging receiver never blocks a concurrent crank-like workload; timeouts free the dispatcher, which keeps going", async () => {
    const store = await openStore();
    const r = await receiver({ secrets: SECRETS, mode: "hang" });
    await enqueue(store, 3, Date.now());

    // Phase 1: deliveries hang (long timeout) while a workload creates, claims and finishes ops on the same store.
    const stuck = dispatcher({ store, url: r.url, logger: captureLogger().logger, fetchTimeoutMs: 60_000, concurrency: 2 });
    stuck.start();
    await waitFor("r.inFlight === 2", () => r.inFlight === 2, { timeoutMs: 5_000 });
    for (let i = 0; i < 30; i++) {
      const now = Date.now();
      const { op } = await store.createOp(makeNewOp({ next_exec: now }));
      const [claimed] = await store.claimDue({ now, limit: 1, owner: "crank", lease_ms: 30_000 });
      expect(claimed?.op.id).toBe(op.id);
      const attempt = makeAttempt({ op_id: op.id, instance: "crank" });
      expect(await store.finishAttempt({ id: op.id, owner: "crank", now, transition: SUCCEED, attempt })).toBe(true);
      await sleep(1); // a real turn of the event loop, as the crank's awaits give
    }
    // All 30 ops finished while both deliveries were still hanging, within the concurrency bound.
    expect(r.inFlight).toBe(2);
    expect(r.maxInFlight).toBe(2);
    expect((await store.stats({ ticks: 0, now: Date.now() })).ops_by_status.succeeded).toBe(30);
    await stuck.stop();

    // Phase 2: a short timeout turns hangs into retries; once the receiver answers, everything is delivered.
    const log = captureLogger();
    const d = dispatcher({ store, url: r.url, logger: log.logger, fetchTimeoutMs: 100, concurrency: 2 });
    d.start();
    await waitFor("log.lines.filter((l) => typeof l.error === 'string' && l.error.startsWith('timeout')).leng", () => log.lines.filter((l) => typeof l.error === "string" && l.error.startsWith("timeout")).length >= 3, { timeoutMs: 5_000 });
    r.mode = "ok";
    await waitFor("(await store.outboxSummary()).delivered === 3", async () => (await store.outboxSummary()).delivered === 3, { timeoutMs: 5_000 });
    expect(new Set(r.delivered().map((x) => x.id)).size).toBe(3);
    expect(r.maxInFlight).toBe(2);
  });

  it("several receivers: delivered only when all accept in one attempt; the failing one is retried with the others", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const store = await openStore();
    const good = await receiver({ secrets: SECRETS, now: () => clock.now() });
    const flaky = await receiver({ secrets: SECRETS, mode: "fail", now: () => clock.now() });
    const [id] = await enqueue(store, 1, clock.now());
    const d = dispatcher({ store, url: [good.url, flaky.url], logger: captureLogger().logger, clock, backoff: { baseMs: 100, maxMs: 100, jitter: 0 } });
    expect(await d.deliverDue()).toBe(1);
    expect((await store.outboxSummary()).delivered).toBe(0);
    flaky.mode = "ok";
    clock.advance(100);
    expect(await d.deliverDue()).toBe(1);
    expect(await store.outboxSummary()).toMatchObject({ delivered: 1, pending: 0 });
    expect(good.delivered().map((x) => x.id)).toEqual([id, id]); // at-least-once: receivers dedupe by webhook-id
    expect(flaky.delivered().map((x) => [x.id, x.verified])).toEqual([[id, true]]);
  });

  it("stop() aborts a hung delivery at once and hands the item back for redelivery", async () => {
    const store = await openStore();
    const r = await receiver({ secrets: SECRETS, mode: "hang" });
    const [id] = await enqueue(store, 1, Date.now());
    const d = dispatcher({ store, url: r.url, logger: captureLogger().logger, fetchTimeoutMs: 60_000 });
    d.start();
    await waitFor("r.requests.length === 1", () => r.requests.length === 1, { timeoutMs: 5_000 });
    await d.stop();
    const [again] = await store.claimOutbox({ now: Date.now(), limit: 1, owner: "inst-b", lease_ms: 1_000 });
    expect(again).toMatchObject({ event_id: id, attempts: 2, last_error: "aborted: dispatcher stopping" });
  });

  it("wake() skips the idle sleep; bad configuration is refused up front", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const store = await openStore();
    const r = await receiver({ secrets: SECRETS, now: () => clock.now() });
    const d = dispatcher({ store, url: r.url, logger: captureLogger().logger, clock, pollIntervalMs: 3_600_000 });
    d.start();
    await waitFor("clock.sleeping === 1", () => clock.sleeping === 1, { timeoutMs: 5_000 }); // idle: nothing to deliver
    await enqueue(store, 1, clock.now());
    d.wake();
    await waitFor("r.delivered().length === 1", () => r.delivered().length === 1, { timeoutMs: 5_000 });

    const bad = (o: Partial<WebhookDispatcherOptions>) => () =>
      createWebhookDispatcher({ store, url: r.url, secrets: SECRETS, clock, logger: captureLogger().logger, instanceId: "x", ...o });
    expect(bad({ url: "ftp://example.com" })).toThrow(/http/);
    expect(bad({ url: [] })).toThrow(/url/);
    expect(bad({ secrets: [] })).toThrow(/secret/);
    expect(bad({ secrets: ["whsec_!!"] })).toThrow(/base64/);
    expect(bad({ fetchTimeoutMs: 0 })).toThrow(/fetchTimeoutMs/);
  });
});
