import { runBlockhashExpiry } from "./scenarios/blockhash-expiry.js";
import { describeChaos } from "./describe-chaos.js";

describeChaos("chaos: blockhash expiry", [
  {
    name: "sends dropped until the blockhash expires: re-signed after expiry, every op exactly once",
    run: () => runBlockhashExpiry({ seed: 4 }),
    timeoutMs: 150_000,
  },
]);
