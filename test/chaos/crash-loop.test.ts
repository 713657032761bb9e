import { afterEach, describe, expect, it } from "vitest";
import { formatReport, killAllChildren } from "./helpers.js";
import { runCrashLoop } from "./scenarios/crash-loop.js";

describe("chaos: crash loop under the supervisor", () => {
  afterEach(() => killAllChildren());

  it("a poisoned action: bounded restarts, then halted; no other op harmed; resume completes the rest", { timeout: 180_000 }, async () => {
    const report = await runCrashLoop({ seed: 6 });
    console.log(formatReport(report));
    expect(report.violations).toEqual([]);
  });
});
