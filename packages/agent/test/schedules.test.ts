import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../src/clock.js";
import { type Crank, createCrank } from "../src/crank/index.js";
import type { Executor, MisfirePolicy, Store } from "../src/types.js";
import { createCapturedLogger, createRecordingExecutor, createTestStore, driveCrank, nextIdle, scheduleTestOp, stepCrank, type TestStore } from "./helpers.js";

let ts: TestStore | undefined;
let cranks: Crank[] = [];
afterEach(async () => {
  for (const c of cranks) await c.stop();
  cranks = [];
  await ts?.cleanup();
  ts = undefined;
});

const MIN = 60_000;

async function startCrank(store: Store, clock: ManualClock, executor: Executor, instanceId = "i1"): Promise<Crank> {
  const { logger } = createCapturedLogger("warn");
  const crank = createCrank({ store, executor, clock, logger, instanceId, maxIdleMs: 60 * MIN });
  cranks.push(crank);
  const idle = nextIdle(crank);
  void crank.start();
  await idle;
  return crank;
}

describe("schedules through the crank", () => {
  it("every_ms does not drift over 100 runs with a slow executor", async () => {
    ts = await createTestStore();
    const clock = new ManualClock();
    const anchor = clock.now();
    const starts: number[] = [];
    const { executor } = createRecordingExecutor(() => {
      starts.push(clock.now());
      clock.advance(700); // the run takes 70 % of the period
      return { outcome: "ok" };
    });
    const op = await scheduleTestOp(ts.store, clock, { every_ms: 1000, max_exec: 100 });
    const crank = await startCrank(ts.store, clock, executor);
    const store = ts.store;
    await driveCrank({ crank, clock, store, maxSteps: 200, done: async () => (await store.getOp(op.id))?.status !== "pending" });
    expect(starts).toEqual(Array.from({ length: 100 }, (_, k) => anchor + k * 1000));
    const final = await store.getOp(op.id);
    expect(final).toMatchObject({ status: "succeeded", exec_count: 100, run: 100 });
  });

  it("skip: a slow interval op skips the slots its own run overran instead of catching up back to back", async () => {
    ts = await createTestStore();
    const clock = new ManualClock();
    const anchor = clock.now();
    const starts: number[] = [];
    const { executor } = createRecordingExecutor(() => {
      starts.push(clock.now());
      clock.advance(2_500); // each run takes two and a half periods
      return { outcome: "ok" };
    });
    const op = await scheduleTestOp(ts.store, clock, { every_ms: 1000, max_exec: 3 });
    const crank = await startCrank(ts.store, clock, executor);
    const store = ts.store;
    await driveCrank({ crank, clock, store, maxSteps: 20, done: async () => (await store.getOp(op.id))?.status !== "pending" });
    expect(starts).toEqual([anchor, anchor + 3000, anchor + 6000]);
    const missed = (await store.getAttempts(op.id)).filter((a) => a.outcome === "missed");
    expect(missed.map((a) => [a.run, a.error?.slice(0, 24)])).toEqual([
      [2, "missed 2 runs (runs 2–3,"],
      [5, "missed 2 runs (runs 5–6,"],
    ]);
    expect(await store.getOp(op.id)).toMatchObject({ status: "succeeded", exec_count: 3, run: 7 });
  });

  it("cron with a time zone keeps the wall-clock time across a DST change", async () => {
    ts = await createTestStore();
    const clock = new ManualClock(Date.UTC(2026, 2, 6, 0, 0)); // DST starts in New York on 2026-03-08
    const starts: number[] = [];
    const { executor } = createRecordingExecutor(() => {
      starts.push(clock.now());
      return { outcome: "ok" };
    });
    const op = await scheduleTestOp(ts.store, clock, { cron: "0 9 * * *", tz: "America/New_York", max_exec: 4 });
    const crank = await startCrank(ts.store, clock, executor);
    const store = ts.store;
    await driveCrank({ crank, clock, store, maxSteps: 10, done: async () => (await store.getOp(op.id))?.status !== "pending" });
    expect(starts.map((t) => new Date(t).toISOString())).toEqual([
      "2026-03-06T14:00:00.000Z",
      "2026-03-07T14:00:00.000Z",
      "2026-03-08T13:00:00.000Z",
      "2026-03-09T13:00:00.000Z",
    ]);
    expect(await store.getOp(op.id)).toMatchObject({ status: "succeeded", exec_count: 4 });
  });

  describe("misfire after a 1-hour downtime", () => {
    // Every 5 minutes, missed after 1 minute late. The crank runs run 1 at T0, is down until
    // T0 + 59.5 min: runs 2..12 (T0+5 .. T0+55 min) were missed; run 13 (T0+60) is in the future.
    async function downtime(misfire: MisfirePolicy) {
      ts = await createTestStore();
      const store = ts.store;
      const clock = new ManualClock();
      const t0 = clock.now();
      const rec = createRecordingExecutor(() => ({ outcome: "ok" }));
      const op = await scheduleTestOp(store, clock, { every_ms: 5 * MIN, misfire, missed_window_ms: MIN });
      const first = await startCrank(store, clock, rec.executor, "before");
      expect(rec.calls.map((c) => c.run)).toEqual([1]);
      await first.stop();
      clock.set(t0 + 59.5 * MIN);
      rec.calls.length = 0;
      await startCrank(store, clock, rec.executor, "after");
      const after = await store.getOp(op.id);
      expect(after).toMatchObject({ status: "pending", run: 13, next_exec: t0 + 60 * MIN, due_at: t0 + 60 * MIN });
      const history = await store.getAttempts(op.id);
      return {
        executedRuns: rec.calls.map((c) => c.run),
        missedRuns: history.filter((a) => a.outcome === "missed").map((a) => a.run),
        missedNotes: history.filter((a) => a.outcome === "missed").map((a) => a.error),
        okRuns: history.filter((a) => a.outcome === "ok").map((a) => a.run),
        after,
      };
    }

    it("skip records the missed runs once, as a summary, and waits for the next slot", async () => {
      const r = await downtime("skip");
      expect(r.executedRuns).toEqual([]);
      expect(r.missedRuns).toEqual([2]);
      expect(r.missedNotes[0]).toMatch(/^missed 11 runs \(runs 2–12, due /);
      expect(r.after?.exec_count).toBe(1);
    });

    it("once executes one catch-up run (the latest missed slot)", async () => {
      const r = await downtime("once");
      expect(r.executedRuns).toEqual([12]);
      expect(r.missedRuns).toEqual([2]);
      expect(r.missedNotes[0]).toMatch(/^missed 10 runs \(runs 2–11, due /);
      expect(r.okRuns).toEqual([1, 12]);
      expect(r.after?.exec_count).toBe(2);
    });

    it("all executes every missed run in turn", async () => {
      const r = await downtime("all");
      expect(r.executedRuns).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      expect(r.missedRuns).toEqual([]);
      expect(r.after?.exec_count).toBe(12);
    });
  });

  it("max_exec ends a recurring op succeeded after exactly max_exec runs", async () => {
    ts = await createTestStore();
    const store = ts.store;
    const clock = new ManualClock();
    const rec = createRecordingExecutor();
    const op = await scheduleTestOp(store, clock, { every_ms: 1000, max_exec: 3 });
    const crank = await startCrank(store, clock, rec.executor);
    await driveCrank({ crank, clock, store, maxSteps: 10, done: async () => (await store.getOp(op.id))?.status !== "pending" });
    expect(rec.calls.map((c) => c.run)).toEqual([1, 2, 3]);
    expect(await store.getOp(op.id)).toMatchObject({ status: "succeeded", exec_count: 3 });
    expect(await store.nextDueAt()).toBeNull();
  });

  it("expires_at: a recurring op ends expired after its last slot; a one-off claimed after it ends expired, unexecuted", async () => {
    ts = await createTestStore();
    const store = ts.store;
    const clock = new ManualClock();
    const t0 = clock.now();
    const rec = createRecordingExecutor();
    const recurring = await scheduleTestOp(store, clock, { every_ms: 1000, expires_at: t0 + 3500 });
    const oneOff = await scheduleTestOp(store, clock, { run_at: t0 + 10_000, expires_at: t0 + 20_000 });
    const crank = await startCrank(store, clock, rec.executor);
    await driveCrank({ crank, clock, store, maxSteps: 10, done: async () => (await store.getOp(recurring.id))?.status !== "pending" });
    expect(await store.getOp(recurring.id)).toMatchObject({ status: "expired", exec_count: 4 });
    await crank.stop();
    // The crank was down past the one-off's expiry.
    clock.set(t0 + 30_000);
    rec.calls.length = 0;
    await startCrank(store, clock, rec.executor, "i2");
    expect(rec.calls).toEqual([]);
    expect(await store.getOp(oneOff.id)).toMatchObject({ status: "expired", exec_count: 0 });
    expect((await store.getAttempts(oneOff.id)).map((a) => a.outcome)).toEqual(["expired"]);
  });

  it("a per-op pause counts as downtime: resumed after 25 s, an every-1 s op resumes at its next slot (skip), no burst", async () => {
    ts = await createTestStore();
    const store = ts.store;
    const clock = new ManualClock();
    const rec = createRecordingExecutor(() => ({ outcome: "ok" }));
    const op = await scheduleTestOp(store, clock, { every_ms: 1000, max_exec: 3 });
    const crank = await startCrank(store, clock, rec.executor);
    expect(rec.calls.map((c) => c.run)).toEqual([1]);
    expect((await store.pauseOp({ id: op.id, now: clock.now() }))?.op.status).toBe("paused");
    await stepCrank(crank, () => clock.advance(25_000));
    const resumedAt = clock.now();
    await store.resumeOp({ id: op.id, now: resumedAt });
    const starts: number[] = [];
    rec.calls.length = 0;
    const timed = createRecordingExecutor(() => {
      starts.push(clock.now());
      return { outcome: "ok" };
    });
    await crank.stop();
    const after = await startCrank(store, clock, timed.executor, "after");
    await driveCrank({ crank: after, clock, store, maxSteps: 10, done: async () => (await store.getOp(op.id))?.status !== "pending" });
    // No run of a slot that passed while paused: the two remaining runs are at future slots, 1 s apart.
    expect(starts).toHaveLength(2);
    expect(starts[0]).toBeGreaterThan(resumedAt);
    expect((starts[1] as number) - (starts[0] as number)).toBe(1000);
    const missed = (await store.getAttempts(op.id)).filter((a) => a.outcome === "missed");
    expect(missed).toHaveLength(1);
    expect(missed[0]?.error).toMatch(/^missed 2[56] runs/);
  });

  it("an op past expires_at reads expired while the crank is paused, without running", async () => {
    ts = await createTestStore();
    const store = ts.store;
    const clock = new ManualClock();
    const t0 = clock.now();
    const rec = createRecordingExecutor();
    await store.setPaused({ paused: true, by: "test", now: t0 });
    const op = await scheduleTestOp(store, clock, { every_ms: 1000, delay_ms: 1000, expires_at: t0 + 5_000 });
    const crank = await startCrank(store, clock, rec.executor);
    expect(crank.state()).toBe("paused");
    await stepCrank(crank, () => clock.advance(40_000));
    expect(await store.getOp(op.id)).toMatchObject({ status: "expired", exec_count: 0 });
    expect(rec.calls).toEqual([]);
    expect((await store.getAttempts(op.id)).map((a) => a.outcome)).toEqual(["expired"]);
  });
});
