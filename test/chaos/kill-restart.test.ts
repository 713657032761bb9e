import { afterEach, describe, expect, it } from "vitest";
import { formatReport, killAllChildren } from "./helpers.js";
import { runKillRestart } from "./scenarios/kill-restart.js";

describe("chaos: crank processes SIGKILLed and restarted", () => {
  afterEach(() => killAllChildren());

  it("three processes on one store, random kills: every op exactly once, none running", { timeout: 420_000 }, async () => {
    const report = await runKillRestart({ seed: 1 });
    console.log(formatReport(report));
    expect(report.violations).toEqual([]);
    // Kills land mid-flight: most of them interrupted a process that held a running op.
    const { kills, kills_in_flight } = report.details as { kills: number; kills_in_flight: number };
    expect(kills_in_flight * 2).toBeGreaterThan(kills);
    expect(report.details.running_at_kill).toBeGreaterThan(0);
  });
});
