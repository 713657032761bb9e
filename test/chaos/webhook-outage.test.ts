import { afterEach, describe, expect, it } from "vitest";
import { formatReport, killAllChildren } from "./helpers.js";
import { runWebhookOutage } from "./scenarios/webhook-outage.js";

describe("chaos: webhook receiver down, then up", () => {
  afterEach(() => killAllChildren());

  it("every op event delivered once per event id with a valid signature; the crank never waited", { timeout: 180_000 }, async () => {
    const report = await runWebhookOutage({ seed: 7 });
    console.log(formatReport(report));
    expect(report.violations).toEqual([]);
  });
});
