import type { ScenarioName } from "../sim-args.js";
import { crashScenario } from "./crash.js";
import { cronScenario } from "./cron.js";
import { dripScenario } from "./drip.js";
import { multiScenario } from "./multi.js";
import { outageScenario } from "./outage.js";
import { payrollScenario } from "./payroll.js";
import type { Scenario } from "./scenario.js";

export const SCENARIOS: Record<ScenarioName, Scenario> = {
  payroll: payrollScenario,
  drip: dripScenario,
  cron: cronScenario,
  outage: outageScenario,
  crash: crashScenario,
  multi: multiScenario,
};

export type { Scenario, ScenarioContext, ScenarioOutcome, ScenarioSize } from "./scenario.js";
