/**
 * (b) The localnet's fault mix while ops run: lost answers (the transaction executes, the
 * client hears nothing), 5xx, 429 with Retry-After, and latency. 429/5xx are the op's transient
 * failures by the spec (retryable, within max_attempts); nothing may fail or run twice.
 */
import { createSeededRandom } from "@courier/agent";
import { type ScenarioReport, sleep } from "../helpers.js";
import { runSingleCrank } from "./single-crank.js";

export function runFaultMix(opts: { seed: number; ops?: number; faultMs?: number }): Promise<ScenarioReport> {
  const random = createSeededRandom(opts.seed);
  const faults = {
    drop_response_rate: 0.1 + random() * 0.15,
    rate_5xx: 0.05 + random() * 0.1,
    rate_429: 0.05 + random() * 0.1,
    retry_after_s: 1,
    latency_ms: 5 + Math.floor(random() * 40),
  };
  return runSingleCrank({
    name: "fault-mix",
    seed: opts.seed,
    ops: opts.ops ?? 30,
    check: { forbiddenOutcomes: ["permanent"] },
    async disturb({ world }) {
      world.localnet.setFaults(faults);
      await sleep(opts.faultMs ?? 6_000);
      world.localnet.setFaults({});
      return { faults: Object.fromEntries(Object.entries(faults).map(([k, v]) => [k, Math.round(v * 100) / 100])) };
    },
  });
}
