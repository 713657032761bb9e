/**
 * A crank process for the memory benchmark. argv: <db path> <in flight> <hold ms>.
 * Reports its RSS after opening the store (baseline), then runs a crank whose executor holds
 * every op open until <in flight> ops are held at once, keeps them for <hold ms>, and releases
 * them. Sends "done" with the baseline, the sampled maximum and the kernel's peak (VmHWM).
 */
import { sendToParent } from "../lib/child.js";
import { createCountingStore } from "../lib/counting-store.js";
import { createCrank, openSqliteStore, systemClock } from "../lib/courier.js";
import { getPeakRssBytes, startRssSampler } from "../lib/rss.js";
import { sleepMs } from "../lib/timing.js";
import { createSilentLogger } from "../lib/workspace-deps.js";

async function main(): Promise<void> {
  const [path, inFlightArg, holdArg] = process.argv.slice(2);
  if (!path) throw new Error("usage: memory-worker <db> <in flight> <hold ms>");
  const inFlight = Number(inFlightArg);
  const holdMs = Number(holdArg);
  const store = await openSqliteStore(path);
  const baseline = process.memoryUsage.rss();
  const baselineHwm = getPeakRssBytes();
  const counting = createCountingStore(store);
  let held = 0;
  let maxHeld = 0;
  let releaseAll: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    releaseAll = resolve;
  });
  let allHeld: () => void = () => {};
  const reachedTarget = new Promise<void>((resolve) => {
    allHeld = resolve;
  });
  const crank = createCrank({
    store: counting.store,
    executor: {
      async execute() {
        held++;
        maxHeld = Math.max(maxHeld, held);
        if (held >= inFlight) allHeld();
        await released;
        held--;
        return { outcome: "ok" };
      },
    },
    clock: systemClock,
    logger: createSilentLogger(),
    instanceId: "bench-memory",
    concurrency: inFlight,
    batchSize: 256,
    leaseMs: 120_000,
  });
  const sampler = startRssSampler(20);
  const loop = crank.start();
  await reachedTarget;
  const crankInFlight = crank.inFlight();
  await sleepMs(holdMs);
  releaseAll();
  await counting.reached(inFlight, 60_000);
  const sampledMax = sampler.stop();
  await crank.stop();
  await loop;
  await store.close();
  await sendToParent({
    type: "done",
    baseline_rss: baseline,
    baseline_hwm: baselineHwm,
    peak_rss_sampled: sampledMax,
    peak_rss_hwm: getPeakRssBytes(),
    max_held: maxHeld,
    crank_in_flight: crankInFlight,
    samples: sampler.samples,
  });
  process.disconnect?.();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
