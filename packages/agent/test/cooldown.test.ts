import { describe, expect, it } from "vitest";
import { createCooldown } from "../src/crank/index.js";

describe("createCooldown", () => {
  it("doubles the probe interval up to the cap while probes keep failing, and leaves on the first good probe", () => {
    const c = createCooldown({ initialMs: 1_000, maxMs: 5_000 });
    expect(c.enter("executor", 10, 0)).toBe(true);
    expect(c.enter("executor", 11, 0)).toBe(false); // already cooling down: no second entry
    expect(c.nextProbeAt).toBe(1_000);
    const intervals: number[] = [];
    let now = 1_000;
    for (let seq = 11; seq < 16; seq++) {
      c.startProbe(seq);
      expect(c.onResult({ seq, infra: true, now })).toBe("stayed");
      intervals.push(c.nextProbeAt - now);
      now = c.nextProbeAt;
    }
    expect(intervals).toEqual([2_000, 4_000, 5_000, 5_000, 5_000]);
    c.startProbe(16);
    expect(c.onResult({ seq: 16, infra: false, now })).toBe("left");
    expect(c.active).toBe(false);
  });

  it("ignores results of attempts that started before the cooldown", () => {
    const c = createCooldown({ initialMs: 1_000, maxMs: 5_000 });
    c.enter("executor", 10, 0);
    expect(c.onResult({ seq: 9, infra: false, now: 5 })).toBe("ignored");
    expect(c.active).toBe(true);
  });

  it("a store-caused cooldown ends when the store answers; an executor-caused one does not", () => {
    const store = createCooldown({ initialMs: 1_000, maxMs: 5_000 });
    store.enter("store", 0, 0);
    store.onStoreFailure(1_000);
    expect(store.nextProbeAt).toBe(3_000);
    expect(store.onStoreOk()).toBe(true);
    expect(store.active).toBe(false);
    const exec = createCooldown({ initialMs: 1_000, maxMs: 5_000 });
    exec.enter("executor", 0, 0);
    expect(exec.onStoreOk()).toBe(false);
    expect(exec.active).toBe(true);
  });
});
