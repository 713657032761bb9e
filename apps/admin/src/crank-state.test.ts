import type { CrankControl } from "@courier/agent";
import { describe, expect, it } from "vitest";
import { resolveCrankState } from "./crank-state.js";
import { getAllRpcDown } from "./readiness.js";

const control: CrankControl = { paused: false, paused_at: null, paused_by: null, halted: false, halted_at: null, halted_reason: null };

describe("resolveCrankState", () => {
  it("lets the shared control win over the local view, and keeps local-only states", () => {
    expect(resolveCrankState({ ...control, halted: true, paused: true }, "running")).toBe("halted");
    expect(resolveCrankState({ ...control, paused: true }, "cooling_down")).toBe("paused");
    // the local crank has not yet seen a resume: the store is the truth
    expect(resolveCrankState(control, "paused")).toBe("running");
    expect(resolveCrankState(control, "cooling_down")).toBe("cooling_down");
    expect(resolveCrankState(control, "stopping")).toBe("stopping");
    expect(resolveCrankState(control, undefined)).toBe("running");
    expect(resolveCrankState(control, "something-new")).toBe("running");
  });
});

describe("getAllRpcDown", () => {
  const down = (since: number | null) => ({ endpoint: "e", healthy: false, circuit: "open" as const, latency_ms: null, down_since: since });
  it("is null unless every endpoint is down; since = when the last one went down", () => {
    expect(getAllRpcDown(undefined)).toBeNull();
    expect(getAllRpcDown([])).toBeNull();
    expect(getAllRpcDown([down(5), { ...down(null), healthy: true, circuit: "closed" }])).toBeNull();
    expect(getAllRpcDown([down(5), down(9)])).toEqual({ since: 9 });
    expect(getAllRpcDown([down(5), down(null)])).toEqual({ since: null });
  });
});
