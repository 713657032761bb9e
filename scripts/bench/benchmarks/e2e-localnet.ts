/**
 * 4. End to end on the localnet: confirmed sol.transfer ops per second through the crank and the
 * Solana executor (build, guard, sign, ledger write before send, send, batched status polls,
 * finish), next to the localnet's own ceiling for pre-signed transfers measured in the same run
 * on the same localnet (measureLocalnetCeiling: natively signed before the clock starts, sent in
 * JSON-RPC batches). The localnet runs in its own process; the crank and the ceiling's client
 * each run in this one, so they compete for the same core.
 */
import { startLocalnetProcess } from "../lib/localnet-process.js";
import { getMedian } from "../lib/percentiles.js";
import type { Benchmark } from "../lib/result.js";
import { round } from "../lib/result.js";

const SLOT_MS = 100;
const CONCURRENCY = 1_000;
const BATCH = 256;

export const e2eLocalnet: Benchmark = {
  name: "e2e-localnet",
  title: "End to end on the localnet (confirmed sol.transfer ops/s vs. the localnet's ceiling)",
  async run({ smoke, progress }) {
    // Loaded here so the Solana stack is only imported by the benchmarks that use it.
    const { getTotalRequests, runTransferLoad } = await import("../lib/transfer-load.js");
    const { measureLocalnetCeiling } = await import("../lib/localnet.js");
    const count = smoke ? 40 : 3_000;
    const ceilingCount = smoke ? 200 : 5_000;
    const runs = smoke ? 1 : 3;
    const slotMs = smoke ? 50 : SLOT_MS;
    const localnet = await startLocalnetProcess(slotMs);
    try {
      const crankRates: number[] = [];
      const ceilingRates: number[] = [];
      const acceptedRates: number[] = [];
      const requestsPerOp: number[] = [];
      for (let r = 0; r < runs; r++) {
        const ceiling = await measureLocalnetCeiling({ url: localnet.url, count: ceilingCount });
        if (ceiling.confirmed !== ceilingCount || ceiling.failed > 0) {
          throw new Error(`ceiling run: ${ceiling.confirmed} of ${ceilingCount} confirmed, ${ceiling.failed} failed`);
        }
        ceilingRates.push(ceiling.confirmedPerSec);
        acceptedRates.push(ceiling.acceptedPerSec);
        const load = await runTransferLoad({ localnet, count, concurrency: CONCURRENCY, batchSize: BATCH, timeoutMs: 300_000 });
        if (load.succeeded !== count) throw new Error(`${load.succeeded} of ${count} transfers succeeded`);
        if (load.transactions !== count) throw new Error(`${load.transactions} transactions landed for ${count} ops`);
        const rate = (count / load.ms) * 1_000;
        crankRates.push(rate);
        requestsPerOp.push(getTotalRequests(load.requests) / count);
        progress(`e2e-localnet run ${r + 1}/${runs}: courier ${Math.round(rate)} confirmed ops/s, ceiling ${ceiling.confirmedPerSec} confirmed/s (${ceiling.acceptedPerSec} accepted/s)`);
      }
      const courier = getMedian(crankRates);
      const ceiling = getMedian(ceilingRates);
      return {
        metrics: [
          { name: "courier_confirmed_ops_per_s", value: round(courier, 0), unit: "ops/s", label: `Courier: confirmed sol.transfer ops/s (crank concurrency ${CONCURRENCY})` },
          { name: "ceiling_confirmed_per_s", value: round(ceiling, 0), unit: "tx/s", label: "localnet ceiling: pre-signed transfers confirmed/s (same run)" },
          { name: "ceiling_accepted_per_s", value: round(getMedian(acceptedRates), 0), unit: "tx/s", label: "localnet ceiling: pre-signed transfers accepted/s (send phase only)" },
          { name: "courier_vs_ceiling", value: round(courier / ceiling, 3), unit: "x", label: "Courier / localnet confirmed ceiling" },
        ],
        details: {
          ops_per_run: count,
          ceiling_transfers_per_run: ceilingCount,
          runs,
          slot_ms: slotMs,
          concurrency: CONCURRENCY,
          batch_size: BATCH,
          samples_courier_ops_per_s: crankRates.map((x) => Math.round(x)),
          samples_ceiling_confirmed_per_s: ceilingRates,
          samples_ceiling_accepted_per_s: acceptedRates,
          requests_per_op: requestsPerOp.map((x) => round(x, 3)),
        },
        notes: [
          `Median of ${runs} run(s); in each, the ceiling (${ceilingCount} transfers) then Courier (${count} ops due at once, fresh store) on the same localnet (slot ${slotMs} ms, own process).`,
          "Courier's clock runs from crank start to the last finished attempt; every op succeeded and landed exactly once (transactions landed = ops).",
          "Courier's rate is bounded by concurrency ÷ time to confirmation as well as CPU: each op waits for its status poll (400 ms default) after landing.",
        ],
      };
    } finally {
      await localnet.stop();
    }
  },
};
