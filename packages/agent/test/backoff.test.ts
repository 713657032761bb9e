import { describe, expect, it } from "vitest";
import { ManualClock } from "../src/clock.js";
import { CourierError } from "../src/errors.js";
import { computeBackoff, createSeededRandom } from "../src/crank/index.js";
import { createCapturedLogger, createRecordingExecutor, createTestCrank, createTestStore, nextIdle, scheduleTestOp, stepCrank } from "./helpers.js";


describe("computeBackoff", () => {
  it("doubles from base to the cap, jitter only shortening the delay", () => {
    const random = createSeededRandom(42);
    const cfg = { baseMs: 100, maxMs: 10_000, jitter: 0.3 };
    for (let attempts = 0; attempts < 20; attempts++) {
      for (let i = 0; i < 50; i++) {
        const cap = Math.min(cfg.maxMs, cfg.baseMs * 2 ** attempts);
        const d = computeBackoff({ ...cfg, attempts, random });
        expect(d).toBeGreaterThanOrEqual(Math.floor(cap * (1 - cfg.jitter)));
        expect(d).toBeLessThanOrEqual(cap);
      }
    }
    expect(computeBackoff({ ...cfg, attempts: 5000, random: () => 0 })).toBe(10_000);
    expect(computeBackoff({ ...cfg, attempts: 3, random: () => 0, jitter: 0 })).toBe(800);
  });

  it("is reproducible from a seed", () => {
    const a = createSeededRandom(7);
    const b = createSeededRandom(7);
    const c = createSeededRandom(8);
    const xs = Array.from({ length: 20 }, () => a());
    expect(Array.from({ length: 20 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 20 }, () => c())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe("backoff through the crank", () => {
  it("consecutive retryable failures of one op wait longer each time up to the cap, then the op is dead with its history", async () => {
    const ts = await createTestStore();
    const clock = new ManualClock();
    const { logger } = createCapturedLogger();
    const backoff = { baseMs: 1_000, maxMs: 20_000, jitter: 0.25 };
    const maxAttempts = 9;
    const op = await scheduleTestOp(ts.store, clock, { max_attempts: maxAttempts });
    const { calls, executor } = createRecordingExecutor(() => ({
      outcome: "retryable",
      error: new CourierError("COURIER__RPC__TIMEOUT", "rpc timed out"),
    }));
    const crank = createTestCrank({ store: ts.store, executor, clock, logger, instanceId: "i1", backoff, random: createSeededRandom(1), maxIdleMs: 60_000 });
    const idle = nextIdle(crank);
    const running = crank.start();
    await idle;
    const delays: number[] = [];
    for (let i = 0; i < maxAttempts + 2; i++) {
      const cur = await ts.store.getOp(op.id);
      if (cur?.status !== "pending") break;
      delays.push(cur.next_exec - clock.now());
      expect(cur.due_at).toBe(op.due_at); // the run keeps its due time; only next_exec moves
      expect(cur.run).toBe(1);
      await stepCrank(crank, () => clock.set(cur.next_exec));
    }
    expect(calls).toHaveLength(maxAttempts);
    expect(calls.map((c) => c.attempt)).toEqual(Array.from({ length: maxAttempts }, (_, i) => i + 1));
    expect(delays).toHaveLength(maxAttempts - 1);
    delays.forEach((d, k) => {
      const cap = Math.min(backoff.maxMs, backoff.baseMs * 2 ** k);
      expect(d).toBeGreaterThanOrEqual(Math.floor(cap * (1 - backoff.jitter)));
      expect(d).toBeLessThanOrEqual(cap);
      if (k > 0 && cap < backoff.maxMs) expect(d).toBeGreaterThan(delays[k - 1] as number);
    });
    expect(delays.at(-1)).toBeGreaterThanOrEqual(backoff.maxMs * (1 - backoff.jitter));
    const final = await ts.store.getOp(op.id);
    expect(final?.status).toBe("dead");
    expect(final?.last_error).toContain("COURIER__RPC__TIMEOUT");
    const history = await ts.store.getAttempts(op.id);
    expect(history.map((a) => [a.attempt, a.outcome, a.error_code])).toEqual(
      Array.from({ length: maxAttempts }, (_, i) => [i + 1, "retryable", "COURIER__RPC__TIMEOUT"]),
    );
    await crank.stop();
    await running;
  });
});
