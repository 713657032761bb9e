import { expect } from "vitest";
import { runKillRestart } from "./scenarios/kill-restart.js";
import { describeChaos } from "./describe-chaos.js";

describeChaos("chaos: crank processes SIGKILLed and restarted", [
  {
    name: "three processes on one store, random kills: every op exactly once, none running",
    run: () => runKillRestart({ seed: 1 }),
    timeoutMs: 420_000,
    check: (report) => {
      // Kills land mid-flight: most of them interrupted a process that held a running op.
      const { kills, kills_in_flight } = report.details as { kills: number; kills_in_flight: number };
      expect(kills_in_flight * 2).toBeGreaterThan(kills);
      expect(report.details.running_at_kill).toBeGreaterThan(0);
    },
  },
]);
