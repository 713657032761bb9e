import { createActionRegistry } from "@courier/agent";
import {
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
