import { afterEach, describe, expect, it } from "vitest";
import { createCapturedLogger, createRecordingExecutor, createTestStore, nextIdle, scheduleTestOp, type TestStore, withTimeout } from "../../test/helpers.js";
import { ManualClock } from "../clock.js";
import { type Crank, createCrank } from "./crank.js";

let ts: TestStore | undefined;
let crank: Crank | undefined;
afterEach(async () => {
  await crank?.stop();
  crank = undefined;
  await ts?.cleanup();
  ts = undefined;
});

function createGate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { open, opened };
}

/** Resolves once `n` executor calls have started. */
function createCounter(n: number) {
  let count = 0;
  let reached!: () => void;
  const done = new Promise<void>((r) => {
    reached = r;
  });
  return {
    hit() {
      if (++count === n) reached();
    },
    done,
  };
}

describe("crank prefetch", () => {
  it("claims beyond the free slots, queues the rest, and still executes each op once within the concurrency", async () => {
    ts = await createTestStore();
    const store = ts.store;
    const clock = new ManualClock();
    const { logger } = createCapturedLogger("warn");
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await scheduleTestOp(store, clock)).id);
    const gate = createGate();
    const twoStarted = createCounter(2);
    let running = 0;
    let maxRunning = 0;
    const rec = createRecordingExecutor(async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      twoStarted.hit();
      await gate.opened;
      running--;
      return { outcome: "ok" };
    });
    crank = createCrank({ store, executor: rec.executor, clock, logger, instanceId: "i1", concurrency: 2, batchSize: 64, prefetch: 20 });
    void crank.start();
    await withTimeout(twoStarted.done, 10_000, "two attempts to start");
    // One claim of concurrency + prefetch = 22 ops: 2 executing, 20 queued, all held by us.
    expect((await store.listOps({ status: "running", limit: 100 })).ops).toHaveLength(22);
    expect(crank.inFlight()).toBe(22);
    expect(rec.calls).toHaveLength(2);

    const idle = nextIdle(crank);
    gate.open();
    await idle;
    expect(maxRunning).toBeLessThanOrEqual(2);
    expect(rec.calls).toHaveLength(30);
    expect(new Set(rec.calls.map((c) => c.op_id)).size).toBe(30);
    for (const id of ids) expect(await store.getOp(id)).toMatchObject({ status: "succeeded", exec_count: 1, attempts: 1 });
    // Recorded ticks may aggregate iterations, but their counts add up exactly.
    const ticks = (await store.stats({ ticks: 100, now: clock.now() })).ticks;
    expect(ticks.reduce((n, t) => n + t.claimed, 0)).toBe(30);
    expect(ticks.reduce((n, t) => n + t.succeeded, 0)).toBe(30);
  });

  it("stop() releases queued ops without starting them: pending again, attempt refunded", async () => {
    ts = await createTestStore();
    const store = ts.store;
    const clock = new ManualClock();
    const { logger } = createCapturedLogger("warn");
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await scheduleTestOp(store, clock, { max_attempts: 1 })).id);
    const gate = createGate();
    const oneStarted = createCounter(1);
    const rec = createRecordingExecutor(async () => {
      oneStarted.hit();
      await gate.opened;
      return { outcome: "ok" };
    });
    const c = createCrank({ store, executor: rec.executor, clock, logger, instanceId: "i1", concurrency: 1, batchSize: 64, prefetch: 5 });
    crank = c;
    const loop = c.start();
    await withTimeout(oneStarted.done, 10_000, "the first attempt to start");
    expect((await store.listOps({ status: "running", limit: 100 })).ops).toHaveLength(6);
    const stopping = c.stop();
    gate.open();
    await withTimeout(stopping, 10_000, "stop()");
    await loop;
    expect(c.inFlight()).toBe(0);
    expect(rec.calls).toHaveLength(1);
    const executed = rec.calls[0]?.op_id as string;
    expect(await store.getOp(executed)).toMatchObject({ status: "succeeded", attempts: 1 });
    for (const id of ids.filter((x) => x !== executed)) {
      expect(await store.getOp(id)).toMatchObject({ status: "pending", attempts: 0, lease_owner: null });
      expect(await store.getAttempts(id)).toEqual([]);
    }
    expect((await store.listOps({ status: "running", limit: 10 })).ops).toEqual([]);
  });
});
