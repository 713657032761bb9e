import { runFaultMix } from "./scenarios/fault-mix.js";
import { runOutage } from "./scenarios/outage.js";
import { describeChaos } from "./describe-chaos.js";

describeChaos("chaos: RPC faults", [
  {
    name: "a fault mix (lost answers, 5xx, 429, latency): every op exactly once, none failed",
    run: () => runFaultMix({ seed: 2 }),
    timeoutMs: 150_000,
  },
  {
    name: "a full outage then recovery: no attempt spent, bounded probing, every op exactly once",
    run: () => runOutage({ seed: 3 }),
    timeoutMs: 150_000,
  },
]);
