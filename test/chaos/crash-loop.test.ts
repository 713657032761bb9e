import { runCrashLoop } from "./scenarios/crash-loop.js";
import { describeChaos } from "./describe-chaos.js";

describeChaos("chaos: crash loop under the supervisor", [
  {
    name: "a poisoned action: bounded restarts, then halted; no other op harmed; resume completes the rest",
    run: () => runCrashLoop({ seed: 6 }),
    timeoutMs: 180_000,
  },
]);
