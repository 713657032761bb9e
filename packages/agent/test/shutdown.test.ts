import { describe, expect, it } from "vitest";
import { systemClock } from "../src/clock.js";
import { createCapturedLogger, createRecordingExecutor, createTestCrank, createTestStore, scheduleTestOp, withTimeout } from "./helpers.js";


describe("graceful shutdown", () => {
  it("stop() lets quick attempts finish, aborts and releases the stuck ones, and leaves nothing running", async () => {
    const ts = await createTestStore();
    const store = ts.store;
    const { logger } = createCapturedLogger("warn");
    const quick: string[] = [];
    const stuck: string[] = [];
    for (let i = 0; i < 4; i++) quick.push((await scheduleTestOp(store, systemClock, { params: { n: 0 } })).id);
    // A stuck attempt only returns once its signal aborts (and then as retryable).
    for (let i = 0; i < 3; i++) stuck.push((await scheduleTestOp(store, systemClock, { params: { n: 1 }, max_attempts: 1 })).id);
    let started = 0;
    let allStarted!: () => void;
    const everyoneStarted = new Promise<void>((r) => {
      allStarted = r;
    });
    let release!: () => void;
    const quickGate = new Promise<void>((r) => {
      release = r;
    });
    const rec = createRecordingExecutor(async (op, ctx) => {
      if (++started === 7) allStarted();
      if ((op.params as { n: number }).n === 0) {
        await quickGate;
        return { outcome: "ok" };
      }
      await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
      return { outcome: "retryable", error: ctx.signal.reason };
    });
    const crank = createTestCrank({ store, executor: rec.executor, clock: systemClock, logger, instanceId: "i1", shutdownGraceMs: 300 });
    const running = crank.start();
    await withTimeout(everyoneStarted, 10_000, "all attempts to start");
    expect(crank.inFlight()).toBe(7);
    const stopping = crank.stop();
    release();
    await withTimeout(stopping, 10_000, "stop()");
    await running;
    expect(crank.state()).toBe("stopped");
    expect(crank.inFlight()).toBe(0);
    expect(rec.calls).toHaveLength(7);
    for (const id of quick) expect(await store.getOp(id)).toMatchObject({ status: "succeeded" });
    // Interrupted by shutdown: given back, attempt refunded (max_attempts 1 would otherwise be dead).
    for (const id of stuck) expect(await store.getOp(id)).toMatchObject({ status: "pending", attempts: 0, lease_owner: null });
    expect((await store.listOps({ status: "running", limit: 10 })).ops).toEqual([]);
    const stats = await store.stats({ ticks: 5, now: Date.now() });
    expect(stats.instances.map((i) => i.id)).not.toContain("i1");
  });

  it("an attempt that ignores the abort is released once the grace runs out, and its late finish changes nothing", async () => {
    const ts = await createTestStore();
    const store = ts.store;
    const { logger } = createCapturedLogger("warn");
    const op = await scheduleTestOp(store, systemClock, { max_attempts: 1 });
    let entered!: () => void;
    const inside = new Promise<void>((r) => {
      entered = r;
    });
    let finish!: () => void;
    const late = new Promise<void>((r) => {
      finish = r;
    });
    const rec = createRecordingExecutor(async () => {
      entered();
      await late; // deaf to ctx.signal
      return { outcome: "ok" };
    });
    const crank = createTestCrank({ store, executor: rec.executor, clock: systemClock, logger, instanceId: "i1", shutdownGraceMs: 100 });
    const running = crank.start();
    await withTimeout(inside, 10_000, "the attempt to start");
    await withTimeout(crank.stop(), 10_000, "stop()");
    await running;
    expect(await store.getOp(op.id)).toMatchObject({ status: "pending", attempts: 0, lease_owner: null });
    finish();
    await crank.drain();
    // Its finish was refused: the op is still pending for whoever claims it next.
    expect(await store.getOp(op.id)).toMatchObject({ status: "pending", exec_count: 0 });
    expect(await store.getAttempts(op.id)).toEqual([]);
  });
});
