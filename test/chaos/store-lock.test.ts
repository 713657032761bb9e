import { afterEach, describe, expect, it } from "vitest";
import { formatReport, killAllChildren } from "./helpers.js";
import { runStoreLock } from "./scenarios/store-lock.js";

describe("chaos: store locked by an outside writer", () => {
  afterEach(() => killAllChildren());

  it("a 10 s BEGIN IMMEDIATE from another connection: the crank waits it out, recovers by itself, every op exactly once", { timeout: 150_000 }, async () => {
    const report = await runStoreLock({ seed: 5 });
    console.log(formatReport(report));
    expect(report.violations).toEqual([]);
  });
});
