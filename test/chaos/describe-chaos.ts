/** The shape every chaos test file shares: run a scenario, print its report, expect no violation. */
import { afterEach, describe, expect, it } from "vitest";
import { formatReport, killAllChildren, type ScenarioReport } from "./helpers.js";

export interface ChaosCase {
  name: string;
  run: () => Promise<ScenarioReport>;
  /** Chaos scenarios run for minutes on a loaded machine: an explicit, long timeout. */
  timeoutMs: number;
  /** Further expectations on the report (e.g. that kills landed mid-flight). */
  check?: (report: ScenarioReport) => void;
}

export function describeChaos(title: string, cases: ChaosCase[]): void {
  describe(title, () => {
    afterEach(() => killAllChildren());
    for (const c of cases) {
      it(c.name, { timeout: c.timeoutMs }, async () => {
        const report = await c.run();
        console.log(formatReport(report));
        expect(report.violations).toEqual([]);
        c.check?.(report);
      });
    }
  });
}
