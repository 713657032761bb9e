import { describe, expect, it } from "vitest";
import { ManualClock } from "../src/clock.js";
import { CourierError } from "../src/errors.js";
import type { CrankState } from "../src/crank/index.js";
import { createCapturedLogger, createRecordingExecutor, createTestCrank, createTestStore, nextIdle, scheduleTestOp } from "./helpers.js";


describe("outcome classes", () => {
  it("permanent fails the op at once, without retry", async () => {
    const ts = await createTestStore();
    const clock = new ManualClock();
    const { logger } = createCapturedLogger("warn");
    const op = await scheduleTestOp(ts.store, clock, { max_attempts: 5 });
    const rec = createRecordingExecutor(() => ({ outcome: "permanent", error: new CourierError("COURIER__OP__INSUFFICIENT_FUNDS", "no lamports") }));
    const crank = createTestCrank({ store: ts.store, executor: rec.executor, clock, logger, instanceId: "i1" });
    const idle = nextIdle(crank);
    void crank.start();
    await idle;
    expect(rec.calls).toHaveLength(1);
    expect(await ts.store.getOp(op.id)).toMatchObject({ status: "failed", last_error: "COURIER__OP__INSUFFICIENT_FUNDS: no lamports" });
    expect((await ts.store.getAttempts(op.id)).map((a) => [a.outcome, a.error_code])).toEqual([["permanent", "COURIER__OP__INSUFFICIENT_FUNDS"]]);
  });

  it("an executor that throws is a retryable COURIER__OP__EXECUTOR_THREW", async () => {
    const ts = await createTestStore();
    const clock = new ManualClock();
    const { logger } = createCapturedLogger("warn");
    const op = await scheduleTestOp(ts.store, clock, { max_attempts: 3 });
    const rec = createRecordingExecutor(() => {
      throw new TypeError("undefined is not a function");
    });
    const crank = createTestCrank({ store: ts.store, executor: rec.executor, clock, logger, instanceId: "i1" });
    const idle = nextIdle(crank);
    void crank.start();
    await idle;
    const cur = await ts.store.getOp(op.id);
    expect(cur).toMatchObject({ status: "pending", attempts: 1 });
    expect(cur?.last_error).toContain("COURIER__OP__EXECUTOR_THREW");
    expect((await ts.store.getAttempts(op.id))[0]).toMatchObject({ outcome: "retryable", error_code: "COURIER__OP__EXECUTOR_THREW" });
  });

  it("infra consumes no attempt, and during a 10-minute outage the executor runs at most once per probe interval", async () => {
    const ts = await createTestStore();
    const clock = new ManualClock();
    const t0 = clock.now();
    const outageEnd = t0 + 10 * 60_000;
    const { logger, lines } = createCapturedLogger("info");
    const ops = [];
    // max_attempts 1: a single consumed attempt would kill the op.
    for (let i = 0; i < 5; i++) ops.push(await scheduleTestOp(ts.store, clock, { max_attempts: 1 }));
    const callTimes: number[] = [];
    const rec = createRecordingExecutor(() => {
      callTimes.push(clock.now());
      if (clock.now() < outageEnd) return { outcome: "infra", error: new CourierError("COURIER__RPC__ALL_ENDPOINTS_DOWN", "every endpoint is down") };
      return { outcome: "ok" };
    });
    const cooldown = { initialMs: 1_000, maxMs: 30_000 };
    const crank = createTestCrank({ store: ts.store, executor: rec.executor, clock, logger, instanceId: "i1", infraCooldown: cooldown, maxIdleMs: 1_000 });
    const states: CrankState[] = [];
    crank.on("state", (s) => states.push(s));
    let sleepMs = nextIdle(crank);
    void crank.start();
    for (let i = 0; i < 2_000 && clock.now() < outageEnd + 60_000; i++) {
      const ms = await sleepMs;
      sleepMs = nextIdle(crank);
      clock.advance(ms);
    }
    await sleepMs;

    // The first claim ran all five before anything was known; afterwards only probes, one at a time.
    const burst = callTimes.filter((t) => t === t0).length;
    expect(burst).toBe(5);
    const probes = callTimes.slice(burst).filter((t) => t < outageEnd);
    let prev = t0;
    probes.forEach((t, i) => {
      const interval = Math.min(cooldown.maxMs, cooldown.initialMs * 2 ** i);
      expect(t - prev).toBeGreaterThanOrEqual(interval);
      prev = t;
    });
    expect(probes.length).toBeLessThanOrEqual(Math.ceil((outageEnd - t0) / cooldown.maxMs) + 6);
    expect(probes.length).toBeGreaterThan(10); // it did keep probing

    for (const op of ops) expect(await ts.store.getOp(op.id)).toMatchObject({ status: "succeeded", attempts: 1 });
    expect(states).toEqual(["running", "cooling_down", "running"]);
    const stateLines = lines.filter((l) => l.msg === "crank.state").map((l) => l.state);
    expect(stateLines).toEqual(["running", "cooling_down", "running"]);
  });
});
