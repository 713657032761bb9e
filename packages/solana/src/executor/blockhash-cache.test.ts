import { ManualClock } from "@courier/agent";
import { describe, expect, it } from "vitest";
import type { RpcPool } from "../rpc/types.js";
import { createBlockhashCache } from "./blockhash-cache.js";

/** A cluster making a block every `msPerBlock`: getLatestBlockhash is the only call the cache may make. */
function cluster(clock: ManualClock, msPerBlock: number): { pool: RpcPool; fetches: () => number } {
  const start = clock.now();
  let fetches = 0;
  const pool = new Proxy({} as RpcPool, {
    get(_t, prop) {
      if (prop === "getLatestBlockhash")
        return async () => {
          fetches++;
          const height = Math.floor((clock.now() - start) / msPerBlock);
          return { blockhash: `hash-${height}`, lastValidBlockHeight: height + 150 };
        };
      if (prop === "then") return undefined;
      throw new Error(`the blockhash cache must not call ${String(prop)}`);
    },
  });
  return { pool, fetches: () => fetches };
}

describe("blockhash cache", () => {
  it("reuses a blockhash 1 s until it has learned the block rhythm, then for 50 blocks of it", async () => {
    const clock = new ManualClock();
    const t0 = clock.now();
    const { pool, fetches } = cluster(clock, 100);
    const cache = createBlockhashCache({ pool, clock });
    expect(cache.reuseMs()).toBe(1_000);
    const first = await cache.get();
    clock.advance(999);
    expect(await cache.get()).toEqual(first);
    expect(fetches()).toBe(1);
    clock.advance(1);
    await cache.get();
    expect(fetches()).toBe(2);
    // 100 ms blocks: 50 blocks of a 150-block window = 5 s, so 100 blocks stay to land in.
    expect(cache.reuseMs()).toBe(5_000);
    for (let i = 0; i < 60; i++) {
      clock.advance(250);
      const { lastValidBlockHeight } = await cache.get();
      // Never handed out with fewer than 100 blocks of validity left.
      expect(lastValidBlockHeight - Math.floor((clock.now() - t0) / 100)).toBeGreaterThanOrEqual(100);
    }
    // 15 s more: three more fetches, not fifteen.
    expect(fetches()).toBe(5);
  });

  it("caps the reuse at 20 s on slow clusters, and a fixed ttlMs wins", async () => {
    const clock = new ManualClock();
    const slow = cluster(clock, 1_000);
    const cache = createBlockhashCache({ pool: slow.pool, clock });
    await cache.get();
    clock.advance(1_000);
    await cache.get();
    expect(cache.reuseMs()).toBe(20_000);
    const fixed = createBlockhashCache({ pool: cluster(clock, 100).pool, clock, ttlMs: 300 });
    expect(fixed.reuseMs()).toBe(300);
  });

  it("fresh: true always fetches", async () => {
    const clock = new ManualClock();
    const { pool, fetches } = cluster(clock, 100);
    const cache = createBlockhashCache({ pool, clock });
    await cache.get();
    await cache.get({ fresh: true });
    expect(fetches()).toBe(2);
  });
});
