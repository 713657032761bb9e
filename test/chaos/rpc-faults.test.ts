import { afterEach, describe, expect, it } from "vitest";
import { formatReport, killAllChildren } from "./helpers.js";
import { runFaultMix } from "./scenarios/fault-mix.js";
import { runOutage } from "./scenarios/outage.js";

describe("chaos: RPC faults", () => {
  afterEach(() => killAllChildren());

  it("a fault mix (lost answers, 5xx, 429, latency): every op exactly once, none failed", { timeout: 150_000 }, async () => {
    const report = await runFaultMix({ seed: 2 });
    console.log(formatReport(report));
    expect(report.violations).toEqual([]);
  });

  it("a full outage then recovery: no attempt spent, bounded probing, every op exactly once", { timeout: 150_000 }, async () => {
    const report = await runOutage({ seed: 3 });
    console.log(formatReport(report));
    expect(report.violations).toEqual([]);
  });
});
