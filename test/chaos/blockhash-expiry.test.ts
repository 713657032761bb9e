import { afterEach, describe, expect, it } from "vitest";
import { formatReport, killAllChildren } from "./helpers.js";
import { runBlockhashExpiry } from "./scenarios/blockhash-expiry.js";

describe("chaos: blockhash expiry", () => {
  afterEach(() => killAllChildren());

  it("sends dropped until the blockhash expires: re-signed after expiry, every op exactly once", { timeout: 150_000 }, async () => {
    const report = await runBlockhashExpiry({ seed: 4 });
    console.log(formatReport(report));
    expect(report.violations).toEqual([]);
  });
});
