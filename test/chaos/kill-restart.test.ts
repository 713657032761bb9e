import { runKillRestart } from "./scenarios/kill-restart.js";
import { describeChaos } from "./describe-chaos.js";

describeChaos("chaos: crank processes SIGKILLed and restarted", [
  {
    name: "three processes on one store, random kills: every op exactly once, none running",
    run: () => runKillRestart({ seed: 1 }),
    timeoutMs: 180_000,
  },
]);
