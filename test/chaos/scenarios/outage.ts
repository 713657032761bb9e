/**
 * (c) A full outage of the only RPC endpoint, then recovery. The crank must pause work (infra
 * cooldown, bounded probing through the pool's circuit breaker) and resume by itself; no op may
 * spend an attempt on the outage.
 */
import { DEFAULT_BREAKER_OPTIONS, getProbeBudget } from "@courier/solana";
import { type ScenarioReport, sleep } from "../helpers.js";
import { runSingleCrank } from "./single-crank.js";

/** `courier start`'s default COURIER_CONCURRENCY, plus the health loop and a blockhash fetch. */
const IN_FLIGHT = 16 + 2;

export function runOutage(opts: { seed: number; ops?: number; outageMs?: number }): Promise<ScenarioReport> {
  const outageMs = opts.outageMs ?? 6_000;
  const budget = getProbeBudget(DEFAULT_BREAKER_OPTIONS, outageMs, IN_FLIGHT);
  let requests = 0;
  return runSingleCrank({
    name: "outage",
    seed: opts.seed,
    ops: opts.ops ?? 24,
    beforeSchedule(world) {
      // Down before the ops exist, so every op meets the outage.
      world.localnet.setFaults({ outage: true });
      world.localnet.resetRequestCounts();
    },
    async disturb({ world }) {
      await sleep(outageMs);
      requests = Object.values(world.localnet.requestCounts()).reduce((n, v) => n + v, 0);
      world.localnet.setFaults({});
      return { outage_ms: outageMs, requests_during_outage: requests, budget };
    },
    async verify() {
      // No storm: the dead endpoint saw no more than the breaker's probe budget.
      return requests > budget ? [`${requests} requests reached the dead endpoint in ${outageMs} ms (budget ${budget})`] : [];
    },
  });
}
