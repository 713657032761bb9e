import { describe, expect, it } from "vitest";
import { ManualClock } from "../src/clock.js";
import { createSingleFlight } from "../src/crank/index.js";
import { createCapturedLogger, createRecordingExecutor, createGate, createTestCrank, createTestStore, scheduleTestOp } from "./helpers.js";



describe("createSingleFlight", () => {
  it("never runs a second execution for an id in flight, and frees the id when it settles", async () => {
    const sf = createSingleFlight();
    const gate = createGate();
    let runs = 0;
    const fn = async () => {
      runs++;
      await gate.opened;
    };
    const first = sf.run("a", fn);
    expect(first).not.toBeNull();
    expect(sf.run("a", fn)).toBeNull();
    expect(sf.run("b", fn)).not.toBeNull();
    expect(sf.size).toBe(2);
    gate.open();
    await sf.settled();
    expect(sf.has("a")).toBe(false);
    expect(runs).toBe(2);
    expect(sf.run("a", fn)).not.toBeNull();
    await sf.settled();
    expect(runs).toBe(3);
  });
});

describe("single-flight in the crank", () => {
  it("50 overlapping ticks over 200 due ops execute each op run exactly once, even when the ops are re-claimed mid-flight", async () => {
    const ts = await createTestStore();
    const clock = new ManualClock();
    const { logger } = createCapturedLogger("warn");
    const ids = new Set<string>();
    for (let i = 0; i < 200; i++) ids.add((await scheduleTestOp(ts.store, clock)).id);
    const gate = createGate();
    const { calls, executor } = createRecordingExecutor(async () => {
      await gate.opened;
      return { outcome: "ok" };
    });
    const leaseMs = 5_000;
    const crank = createTestCrank({ store: ts.store, executor, clock, logger, instanceId: "i1", concurrency: 512, batchSize: 64, leaseMs });

    const wave1 = await Promise.all(Array.from({ length: 50 }, () => crank.tick()));
    expect(wave1.reduce((n, s) => n + s.claimed, 0)).toBe(200);
    expect(crank.inFlight()).toBe(200);

    // The leases lapse while every op is still executing here: the next ticks reclaim and
    // re-claim all 200 of them, and single-flight must not start a second execution.
    clock.advance(leaseMs + 1);
    const wave2 = await Promise.all(Array.from({ length: 50 }, () => crank.tick()));
    expect(wave2.reduce((n, s) => n + s.claimed, 0)).toBe(200);
    expect(wave2.reduce((n, s) => n + s.skipped_in_flight, 0)).toBe(200);

    gate.open();
    await crank.drain();
    expect(calls).toHaveLength(200);
    const perOp = new Map<string, number>();
    for (const c of calls) perOp.set(`${c.op_id}:${c.run}`, (perOp.get(`${c.op_id}:${c.run}`) ?? 0) + 1);
    expect(perOp.size).toBe(200);
    expect([...perOp.values()].every((n) => n === 1)).toBe(true);
    for (const id of ids) {
      const op = await ts.store.getOp(id);
      expect(op?.status).toBe("succeeded");
      expect(op?.exec_count).toBe(1);
    }
    expect(crank.inFlight()).toBe(0);
    await crank.stop();
  });
});
