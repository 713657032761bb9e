import { describe, expect, it } from "vitest";
import { ManualClock } from "../src/clock.js";
import { CourierError } from "../src/errors.js";
import { type CrankState, createCrank } from "../src/crank/index.js";
import { createCapturedLogger, createRecordingExecutor, createTestCrank, createTestStore, nextIdle, scheduleTestOp, stepCrank, withTimeout } from "./helpers.js";


describe("crank control and leases", () => {
  it("obeys the pause and halt flags in the store, and resumes when they clear", async () => {
    const ts = await createTestStore();
    const store = ts.store;
    const clock = new ManualClock();
    const { logger } = createCapturedLogger("warn");
    await store.setPaused({ paused: true, by: "test", now: clock.now() });
    const op = await scheduleTestOp(store, clock);
    const rec = createRecordingExecutor();
    const crank = createTestCrank({ store, executor: rec.executor, clock, logger, instanceId: "i1", maxIdleMs: 1_000 });
    const states: CrankState[] = [];
    crank.on("state", (s) => states.push(s));
    const idle = nextIdle(crank);
    void crank.start();
    await idle;
    await stepCrank(crank, () => clock.advance(1_000));
    expect(crank.state()).toBe("paused");
    expect(rec.calls).toEqual([]);

    await store.setPaused({ paused: false, by: "test", now: clock.now() });
    await store.setHalted({ halted: true, reason: "restart budget spent", now: clock.now() });
    await stepCrank(crank, () => clock.advance(1_000));
    expect(crank.state()).toBe("halted");
    expect(rec.calls).toEqual([]);

    await store.setHalted({ halted: false, reason: null, now: clock.now() });
    await stepCrank(crank, () => clock.advance(1_000));
    expect(rec.calls).toHaveLength(1);
    expect(await store.getOp(op.id)).toMatchObject({ status: "succeeded" });
    expect(states).toEqual(["paused", "halted", "running"]);
  });

  it("an ambiguous result releases the run without consuming an attempt and retries it after a short delay", async () => {
    const ts = await createTestStore();
    const store = ts.store;
    const clock = new ManualClock();
    const { logger } = createCapturedLogger("warn");
    const op = await scheduleTestOp(store, clock, { max_attempts: 1 });
    let first = true;
    const rec = createRecordingExecutor(() => {
      if (first) {
        first = false;
        return { outcome: "ambiguous", error: new CourierError("COURIER__RPC__SEND_AMBIGUOUS", "send timed out") };
      }
      return { outcome: "ok" };
    });
    const crank = createTestCrank({ store, executor: rec.executor, clock, logger, instanceId: "i1", lifecycle: { ambiguousDelayMs: 1_500 } });
    const idle = nextIdle(crank);
    void crank.start();
    await idle;
    const released = await store.getOp(op.id);
    expect(released).toMatchObject({ status: "pending", attempts: 0, next_exec: clock.now() + 1_500 });
    await stepCrank(crank, () => clock.advance(1_500));
    expect(await store.getOp(op.id)).toMatchObject({ status: "succeeded" });
    expect(rec.calls.map((c) => c.attempt)).toEqual([1, 1]);
    expect((await store.getAttempts(op.id)).map((a) => [a.attempt, a.outcome])).toEqual([
      [1, "ambiguous"],
      [1, "ok"],
    ]);
  });

  it("an op cancelled while it runs: the lease renewer aborts the attempt and the finish does not overwrite the cancel", async () => {
    const ts = await createTestStore();
    const store = ts.store;
    const clock = new ManualClock();
    const { logger, lines } = createCapturedLogger("info");
    const op = await scheduleTestOp(store, clock);
    let aborted: unknown = null;
    let entered!: () => void;
    const inside = new Promise<void>((r) => {
      entered = r;
    });
    const rec = createRecordingExecutor(async (_op, ctx) => {
      entered();
      await new Promise<void>((r) => ctx.signal.addEventListener("abort", () => r(), { once: true }));
      aborted = ctx.signal.reason;
      return { outcome: "ok" };
    });
    const leaseMs = 3_000;
    const crank = createTestCrank({ store, executor: rec.executor, clock, logger, instanceId: "i1", leaseMs, maxIdleMs: 60_000 });
    void crank.start();
    await withTimeout(inside, 5_000, "the attempt to start");
    await store.cancelOp({ id: op.id, now: clock.now() });
    const idle = nextIdle(crank);
    clock.advance(leaseMs / 3); // the renewer runs and finds the op no longer ours
    await idle;
    expect(aborted).toBeInstanceOf(CourierError);
    expect((aborted as CourierError).code).toBe("COURIER__OP__LEASE_LOST");
    expect(await store.getOp(op.id)).toMatchObject({ status: "cancelled" });
    expect(lines.some((l) => l.msg === "op.lease_lost" && l.op_id === op.id)).toBe(true);
    expect(crank.inFlight()).toBe(0);
  });

  it("wake() makes a freshly scheduled op run without waiting for the idle timeout", async () => {
    const ts = await createTestStore();
    const store = ts.store;
    const clock = new ManualClock();
    const { logger } = createCapturedLogger("warn");
    const rec = createRecordingExecutor();
    const crank = createTestCrank({ store, executor: rec.executor, clock, logger, instanceId: "i1", maxIdleMs: 60_000 });
    const idle = nextIdle(crank);
    void crank.start();
    await idle;
    const op = await scheduleTestOp(store, clock);
    await stepCrank(crank); // wake() only: the clock does not move
    expect(rec.calls.map((c) => c.op_id)).toEqual([op.id]);
  });

  it("a live owner renews its lease, so a long attempt is never reclaimed by another instance", async () => {
    const ts = await createTestStore();
    const store = ts.store;
    const clock = new ManualClock();
    const { logger } = createCapturedLogger("warn");
    const op = await scheduleTestOp(store, clock);
    let entered!: () => void;
    const inside = new Promise<void>((r) => {
      entered = r;
    });
    let finish!: () => void;
    const done = new Promise<void>((r) => {
      finish = r;
    });
    const recA = createRecordingExecutor(async () => {
      entered();
      await done;
      return { outcome: "ok" };
    });
    const recB = createRecordingExecutor();
    const leaseMs = 3_000;
    const crank = createTestCrank({ store, executor: recA.executor, clock, logger, instanceId: "A", leaseMs, maxIdleMs: 60_000 });
    const other = createCrank({ store, executor: recB.executor, clock, logger, instanceId: "B", leaseMs });
    void crank.start();
    await withTimeout(inside, 5_000, "the attempt to start");
    for (let i = 0; i < 10; i++) {
      clock.advance(leaseMs / 3); // 10 s in all, more than three leases
      await new Promise((r) => setImmediate(r)); // let A's renewer write
      expect((await other.tick()).claimed).toBe(0);
    }
    finish();
    await crank.drain();
    expect(recB.calls).toEqual([]);
    expect(recA.calls).toHaveLength(1);
    expect(await store.getOp(op.id)).toMatchObject({ status: "succeeded", exec_count: 1 });
    await other.stop();
  });
});
