import { runWebhookOutage } from "./scenarios/webhook-outage.js";
import { describeChaos } from "./describe-chaos.js";

describeChaos("chaos: webhook receiver down, then up", [
  {
    name: "every op event delivered once per event id with a valid signature; the crank never waited",
    run: () => runWebhookOutage({ seed: 7 }),
    timeoutMs: 180_000,
  },
]);
