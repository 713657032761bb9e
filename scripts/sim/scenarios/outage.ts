/**
 * outage: transfers due at a steady pace; in the middle the localnet stops answering (every
 * request gets a 503) for a few seconds, then comes back. The crank must neither lose nor
 * double a transfer, must not burn retry budgets on an infrastructure failure, and must not
 * storm the dead endpoint: the report shows the requests it sent during the outage.
 */
import { CourierError } from "../workspace.js";
import type { InProcessCrank } from "../in-process-crank.js";
import { type SimWorld, sleep, sleepUntil } from "../sim-world.js";
import { getSettleMs, getTransferLamports, runWithInProcessCrank, type Scenario, type ScenarioSize } from "./scenario.js";

const shape = (s: ScenarioSize) => (s.smoke ? { count: 6, spacingMs: 250, outageMs: 1_500 } : { count: 30, spacingMs: 300, outageMs: 5_000 });

/** Milliseconds from `at` to the first successful attempt that ended after it (null: none). */
async function getFirstSuccessAfter(world: SimWorld, at: number): Promise<number | null> {
  let first: number | null = null;
  for (const plan of world.planned) {
    for (const a of await world.store.getAttempts(plan.id)) {
      if (a.outcome === "ok" && a.ended_at >= at && (first === null || a.ended_at < first)) first = a.ended_at;
    }
  }
  return first === null ? null : first - at;
}

function sum(counts: Record<string, number> | null): number {
  return Object.values(counts ?? {}).reduce((s, n) => s + n, 0);
}

export const outageScenario: Scenario = {
  name: "outage",
  needsLocalnet: true,
  countRuns: (s) => shape(s).count,
  describe: (s) =>
    `${shape(s).count} transfers due one every ${shape(s).spacingMs} ms; the RPC endpoint is down for ${shape(s).outageMs / 1000} s in the middle`,
  run: (ctx) => {
    const { count, spacingMs, outageMs } = shape(ctx);
    const localnet = ctx.world.cluster.localnet;
    if (!localnet) throw new CourierError("COURIER__CONFIG", "the outage scenario needs the embedded localnet");
    let endedAt = 0;
    const drive = async (c: InProcessCrank) => {
      const firstDue = Date.now() + 1_000;
      for (let i = 0; i < count; i++) {
        await ctx.world.scheduleTransfer({ lamports: getTransferLamports(i), schedule: { run_at: firstDue + i * spacingMs } });
      }
      c.crank.wake();
      // Down after a third of the ops were due, so some are in flight and some wait behind it.
      const outageAt = firstDue + Math.floor(count / 3) * spacingMs;
      await sleepUntil(outageAt);
      const before = sum(ctx.world.cluster.requestCounts());
      localnet.setFaults({ outage: true });
      ctx.world.progress(`outage: endpoint down for ${outageMs} ms`);
      await sleep(outageMs);
      const during = sum(ctx.world.cluster.requestCounts()) - before;
      localnet.setFaults({});
      endedAt = Date.now();
      ctx.world.progress(`outage: endpoint back (${during} requests refused meanwhile)`);
      return {
        outage: `${outageMs} ms from ${new Date(outageAt).toISOString()}`,
        requests_in_outage: during,
        requests_per_s_in_outage: Math.round((during / outageMs) * 10_000) / 10,
      };
    };
    const summarize = async () => ({ recovered_after_ms: await getFirstSuccessAfter(ctx.world, endedAt) });
    return runWithInProcessCrank(ctx, count * spacingMs + outageMs + getSettleMs(ctx), drive, summarize);
  },
};
