import { createActionRegistry } from "@courier/agent";
import { systemClock } from "@courier/agent";
import {
  createPriorityFeeEstimator,
  createSolanaActionRegistry,
  getComputeUnitLimit,
  getPercentile,
  getRaisedPrice,
  MAX_COMPUTE_UNITS,
  MIN_COMPUTE_UNITS,
  registerAction,
  registerSolanaActions,
} from "@courier/solana";
import { describe, expect, it } from "vitest";
import { z } from "zod";

describe("fees", () => {
  it("sizes the compute-unit limit from consumption with a margin, within bounds", () => {
    expect(getComputeUnitLimit(10_000)).toBe(Math.ceil((10_000 + 300) * 1.1));
    expect(getComputeUnitLimit(0)).toBe(MIN_COMPUTE_UNITS);
    expect(getComputeUnitLimit(5_000_000)).toBe(MAX_COMPUTE_UNITS);
  });

  it("takes a nearest-rank percentile", () => {
    expect(getPercentile([], 75)).toBe(0);
    expect(getPercentile([10, 1, 5, 7], 50)).toBe(5);
    expect(getPercentile([10, 1, 5, 7], 75)).toBe(7);
    expect(getPercentile([10, 1, 5, 7], 100)).toBe(10);
  });

  it("prices the misses of one moment with one request over their accounts, then from the cache", async () => {
    const calls: string[][] = [];
    const pool = {
      getRecentPrioritizationFees: async (accounts: string[]) => {
        calls.push(accounts);
        return accounts.includes("hot") ? [{ slot: 1, prioritizationFee: 900 }] : [{ slot: 1, prioritizationFee: 0 }];
      },
    } as unknown as Parameters<typeof createPriorityFeeEstimator>[0]["pool"];
    let now = 1_000_000;
    const clock = { ...systemClock, now: () => now };
    const fees = createPriorityFeeEstimator({ pool, clock, cacheMs: 5_000 });
    const burst = await Promise.all(Array.from({ length: 50 }, (_, i) => fees.estimate(["payer", `to-${i}`])));
    expect(calls).toHaveLength(1);
    expect(new Set(calls[0])).toEqual(new Set(["payer", ...Array.from({ length: 50 }, (_, i) => `to-${i}`)]));
    expect(burst.every((v) => v === 0)).toBe(true);
    // Cached per account: a set of known accounts costs nothing.
    expect(await fees.estimate(["payer", "to-3"])).toBe(0);
    // A new account within cacheMs of the last read takes that read's price, no request...
    expect(await fees.estimate(["payer", "hot"])).toBe(0);
    expect(calls).toHaveLength(1);
    // ...and the next read (once the cache is stale) includes it: then it is priced on its own.
    now += 5_000;
    expect(await fees.estimate(["payer", "to-9"])).toBe(900);
    expect(calls).toHaveLength(2);
    expect(calls[1]).toContain("hot");
    // A set is priced at its most contended account.
    expect(await fees.estimate(["to-1", "hot"])).toBe(900);
    expect(calls).toHaveLength(2);
  });

  it("splits a burst over 128 accounts into several requests", async () => {
    const calls: string[][] = [];
    const pool = {
      getRecentPrioritizationFees: async (accounts: string[]) => {
        calls.push(accounts);
        return [];
      },
    } as unknown as Parameters<typeof createPriorityFeeEstimator>[0]["pool"];
    const fees = createPriorityFeeEstimator({ pool, clock: systemClock });
    await Promise.all(Array.from({ length: 200 }, (_, i) => fees.estimate([`a-${i}`])));
    expect(calls.length).toBe(2);
    expect(calls.every((c) => c.length <= 128)).toBe(true);
  });

  it("raises the price on re-sign, never above the ceiling, never from zero", () => {
    expect(getRaisedPrice(1_000, null)).toBe(1_500);
    expect(getRaisedPrice(1_000, 1_200)).toBe(1_200);
    expect(getRaisedPrice(0, 1_200)).toBe(0);
  });
});

describe("action registry", () => {
  it("mirrors Solana actions and user actions into the agent registry", () => {
    const agent = createActionRegistry();
    const actions = registerSolanaActions(agent);
    expect(agent.list()).toEqual(["anchor.invoke", "memo", "sol.transfer", "spl.transfer"]);
    registerAction(actions, { name: "user.noop", params: z.object({ n: z.number() }), build: () => ({ instructions: [], lamports: 0 }) }, agent);
    expect(createSolanaActionRegistry().list()).not.toContain("user.noop");
    expect(actions.list()).toContain("user.noop");
    expect(() => agent.validate("user.noop", { n: "x" })).toThrow(/params\.n/);
    expect(agent.validate("spl.transfer", { mint: "So11111111111111111111111111111111111111112", to: "So11111111111111111111111111111111111111112", amount: "18446744073709551615" })).toBeTruthy();
    expect(() => agent.validate("spl.transfer", { mint: "So11111111111111111111111111111111111111112", to: "So11111111111111111111111111111111111111112", amount: "18446744073709551616" })).toThrow(/u64/);
  });
});
