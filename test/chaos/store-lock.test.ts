import { runStoreLock } from "./scenarios/store-lock.js";
import { describeChaos } from "./describe-chaos.js";

describeChaos("chaos: store locked by an outside writer", [
  {
    name: "a 10 s BEGIN IMMEDIATE from another connection: the crank waits it out, recovers by itself, every op exactly once",
    run: () => runStoreLock({ seed: 5 }),
    timeoutMs: 150_000,
  },
]);
