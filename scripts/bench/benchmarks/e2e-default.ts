/**
 * 8. End to end with the DEFAULT config: a real `courier start` process (default config apart
 * from the store, the RPC URL, the keypair and the admin port) against a standalone localnet at
 * 100 ms slots, each in its own process. In the same run:
 * - burst: N transfers due at once, next to the localnet's ceilings for pre-signed transfers
 *   (unbatched: 32 concurrent clients, one sendTransaction per request; batched: 64 per request)
 *   and to a naive web3.js crank (sendTransaction + confirmTransaction per op, concurrency 16);
 * - rate-limited endpoint (`rate_limit {rps: 50, per_method_rps: {sendTransaction: 20}}`, own
 *   localnet): completion rate against the 20 sends/s allowed, 429s, attempts spent, dead ops;
 * - requests per confirmed op, for the burst and for ops due one at a time;
 * - signing → verdict per op in the burst (median, p99): how soon the status poller hands out verdicts;
 * - CPU µs per confirmed op and peak RSS of the Courier process; re-signs per 1,000 ops;
 * - peak RSS with 10,000 transactions in flight (own localnet with 60 s slots, so nothing
 *   confirms while they are sent; default config: the in-flight set holds up to 10,240).
 */
import { cpus } from "node:os";
import { runDefaultCourier } from "../lib/default-courier-run.js";
import { runInFlightCourier } from "../lib/in-flight-courier-run.js";
import { startLocalnetProcess } from "../lib/localnet-process.js";
import type { Benchmark } from "../lib/result.js";
import { round } from "../lib/result.js";
import { toMiB } from "../lib/rss.js";

const SLOT_MS = 100;
const RATE_LIMIT = { rps: 50, per_method_rps: { sendTransaction: 20 } };
const IN_FLIGHT = 10_000;
/** The longest slot the localnet takes: nothing confirms while 10,000 transactions are sent. */
const HOLD_SLOT_MS = 60_000;

async function localnetStats(url: string): Promise<{ requests: number; responses429: number }> {
  const s = (await (await fetch(`${url}/__localnet/stats`)).json()) as { requests_by_method: Record<string, number>; responses_429: number };
  return { requests: Object.values(s.requests_by_method).reduce((a, b) => a + b, 0), responses429: s.responses_429 };
}

export const e2eDefault: Benchmark = {
  name: "e2e-default",
  title: "End to end, default config (`courier start` process vs. localnet ceilings and a naive web3.js crank)",
  async run({ smoke, progress }) {
    const { measureLocalnetCeiling } = await import("../lib/localnet.js");
    const { runNaiveWeb3Crank } = await import("../lib/naive-web3-crank.js");
    const burst = smoke ? 20 : 1_000;
    const limited = 500;
    const spread = 30;
    const localnet = await startLocalnetProcess(SLOT_MS, { websocket: true });
    const limitedNet = await startLocalnetProcess(SLOT_MS);
    try {
      const unbatched = await measureLocalnetCeiling({ url: localnet.url, count: smoke ? 200 : 500, batchSize: 1, concurrency: 32 });
      const batched = await measureLocalnetCeiling({ url: localnet.url, count: smoke ? 200 : 3_000, batchSize: 64, concurrency: 4 });
      // Signed before the clock starts with one blockhash: on a loaded machine a bigger run
      // outlives it (151 blocks = 15 s at 100 ms slots) and nothing confirms.
      if (unbatched.confirmed === 0 || batched.confirmed === 0) throw new Error("a ceiling run confirmed nothing (the machine is too loaded for this benchmark)");
      progress(`e2e-default: ceilings ${unbatched.confirmedPerSec}/s unbatched, ${batched.confirmedPerSec}/s batched`);

      await localnet.resetCounts();
      const b = await runDefaultCourier({ url: localnet.url, airdrop: localnet.airdrop, count: burst, timeoutMs: 600_000, source: smoke, endpointCpuMicros: localnet.cpuMicros });
      const burstRequests = Object.values((await localnet.counts()).requests).reduce((a, n) => a + n, 0);
      progress(`e2e-default: courier burst ${Math.round(b.opsPerSec)}/s (${b.succeeded}/${burst})`);

      const naive = await runNaiveWeb3Crank({ url: localnet.url, airdrop: localnet.airdrop, count: smoke ? 10 : 200, concurrency: 16 });
      progress(`e2e-default: naive web3.js crank ${Math.round(naive.opsPerSec)}/s`);

      // The smoke run checks the harness with one Courier process; these two start their own.
      if (smoke) {
        return {
          metrics: [
            { name: "courier_default_ops_per_s", value: round(b.opsPerSec, 1), unit: "ops/s", label: `courier start (defaults), ${burst} transfers due at once` },
            { name: "ceiling_unbatched_per_s", value: round(unbatched.confirmedPerSec, 0), unit: "tx/s", label: "localnet ceiling, unbatched (same run)" },
            { name: "naive_web3_ops_per_s", value: round(naive.opsPerSec, 1), unit: "ops/s", label: "naive web3.js crank (same run)" },
            { name: "burst_sign_to_verdict_p50_ms", value: b.signToVerdictMs.p50, unit: "ms", label: "signing → verdict per op, burst, median" },
          ],
          details: { smoke: true, burst_succeeded: b.succeeded },
          notes: ["Smoke: the rate-limited and spread-out runs are skipped."],
        };
      }
      await localnet.resetCounts();
      const sp = await runDefaultCourier({ url: localnet.url, airdrop: localnet.airdrop, count: spread, spacingMs: 500, timeoutMs: 300_000 });
      const spreadRequests = Object.values((await localnet.counts()).requests).reduce((a, n) => a + n, 0);

      const setFaults = await fetch(`${limitedNet.url}/__localnet/faults`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ rate_limit: RATE_LIMIT }),
      });
      if (!setFaults.ok) throw new Error(`could not set the rate limit: HTTP ${setFaults.status}`);
      const before = await localnetStats(limitedNet.url);
      const rl = await runDefaultCourier({ url: limitedNet.url, airdrop: limitedNet.airdrop, count: limited, timeoutMs: 600_000 });
      const after = await localnetStats(limitedNet.url);
      const rlRequests = after.requests - before.requests;
      const rl429 = after.responses429 - before.responses429;
      progress(`e2e-default: rate-limited ${round(rl.opsPerSec, 1)}/s of 20 allowed, 429s ${rl429}/${rlRequests}`);

      const holding = await startLocalnetProcess(HOLD_SLOT_MS);
      const held = await runInFlightCourier({ url: holding.url, airdrop: holding.airdrop, count: IN_FLIGHT, timeoutMs: 600_000 }).finally(() =>
        holding.stop(),
      );
      progress(`e2e-default: ${held.inFlight} in flight, peak RSS ${held.peakRssBytes === null ? "?" : toMiB(held.peakRssBytes)} MiB`);

      return {
        metrics: [
          { name: "courier_default_ops_per_s", value: round(b.opsPerSec, 0), unit: "ops/s", label: `courier start (defaults), ${burst} transfers due at once` },
          { name: "ceiling_unbatched_per_s", value: round(unbatched.confirmedPerSec, 0), unit: "tx/s", label: "localnet ceiling, 32 clients, one sendTransaction per request (same run)" },
          { name: "ceiling_batched_per_s", value: round(batched.confirmedPerSec, 0), unit: "tx/s", label: "localnet ceiling, 64 sendTransaction per batch request (same run)" },
          { name: "courier_vs_unbatched", value: round(b.opsPerSec / unbatched.confirmedPerSec, 3), unit: "x", label: "Courier / unbatched ceiling (goal ≥ 0.8)" },
          { name: "courier_vs_batched", value: round(b.opsPerSec / batched.confirmedPerSec, 3), unit: "x", label: "Courier / batched ceiling (goal ≥ 0.5)" },
          { name: "naive_web3_ops_per_s", value: round(naive.opsPerSec, 1), unit: "ops/s", label: "naive web3.js crank, sendTransaction + confirmTransaction, concurrency 16 (same run)" },
          { name: "courier_vs_naive", value: round(b.opsPerSec / naive.opsPerSec, 1), unit: "x", label: "Courier / naive web3.js crank (goal ≥ 15)" },
          { name: "rate_limited_ops_per_s", value: round(rl.opsPerSec, 2), unit: "ops/s", label: `rate-limited endpoint (sendTransaction 20/s, 50/s in all), ${limited} transfers` },
          { name: "rate_limited_vs_allowed", value: round(rl.opsPerSec / 20, 3), unit: "x", label: "completion rate / allowed send rate (goal ≥ 0.8)" },
          { name: "requests_per_op_burst", value: round(burstRequests / burst, 3), unit: "req/op", label: "JSON-RPC requests per confirmed op, burst (goal ≤ 1.1)" },
          { name: "requests_per_op_spread", value: round(spreadRequests / spread, 3), unit: "req/op", label: "JSON-RPC requests per confirmed op, one due every 500 ms (goal ≤ 2.0)" },
          { name: "burst_sign_to_verdict_p50_ms", value: b.signToVerdictMs.p50, unit: "ms", label: "signing → verdict per op, burst, median" },
          { name: "burst_sign_to_verdict_p99_ms", value: b.signToVerdictMs.p99, unit: "ms", label: "signing → verdict per op, burst, p99" },
          ...(b.cpuMicrosPerOp !== null ? [{ name: "cpu_us_per_op", value: round(b.cpuMicrosPerOp, 0), unit: "µs", label: "CPU time of the Courier process per confirmed op (burst)" }] : []),
          ...(b.endpointCpuMicrosPerOp !== null
            ? [{ name: "localnet_cpu_us_per_op", value: round(b.endpointCpuMicrosPerOp, 0), unit: "µs", label: "CPU time of the localnet process per confirmed op (burst, same window)" }]
            : []),
          ...(b.machineBusyShare !== null
            ? [{ name: "machine_busy_share", value: round(b.machineBusyShare, 3), unit: "share", label: `busy share of all ${cpus().length} cores over the burst (first claim → last verdict)` }]
            : []),
          ...(b.cpuMicrosPerOp !== null && b.endpointCpuMicrosPerOp !== null
            ? [
                {
                  name: "cpu_bound_ops_per_s",
                  value: round((cpus().length * 1_000_000) / (b.cpuMicrosPerOp + b.endpointCpuMicrosPerOp), 0),
                  unit: "ops/s",
                  label: "what every core could confirm at this run's CPU per op (Courier + localnet), before the confirmation latency",
                },
              ]
            : []),
          ...(b.peakRssBytes !== null ? [{ name: "peak_rss_mib", value: toMiB(b.peakRssBytes), unit: "MiB", label: "peak RSS of the Courier process (burst)" }] : []),
          ...(held.peakRssBytes !== null
            ? [{ name: "peak_rss_in_flight_mib", value: toMiB(held.peakRssBytes), unit: "MiB", label: `peak RSS of the Courier process with ${IN_FLIGHT} transactions in flight (goal ≤ 200 MB)` }]
            : []),
        ],
        details: {
          slot_ms: SLOT_MS,
          burst_ops: burst,
          burst_ms: b.ms,
          burst_succeeded: b.succeeded,
          burst_resigns_per_1000: round((b.resigns / burst) * 1_000, 1),
          burst_spent_attempts: b.spentAttempts,
          naive_confirmed: naive.confirmed,
          rate_limited_ops: limited,
          rate_limited_succeeded: rl.succeeded,
          rate_limited_dead: rl.dead,
          rate_limited_spent_attempts: rl.spentAttempts,
          rate_limited_requests: rlRequests,
          rate_limited_429: rl429,
          rate_limited_429_share: round(rl429 / Math.max(1, rlRequests), 4),
          rate_limited_resigns: rl.resigns,
          spread_ops: spread,
          spread_requests: spreadRequests,
          spread_succeeded: sp.succeeded,
          in_flight: held.inFlight,
          in_flight_succeeded_before_measure: held.succeeded,
          in_flight_rss_mib: held.rssBytes === null ? null : toMiB(held.rssBytes),
          in_flight_boot_rss_mib: held.bootRssBytes === null ? null : toMiB(held.bootRssBytes),
        },
        notes: [
          "Courier's rate runs from its first claim to its last finished attempt (its boot is not counted); every op must succeed.",
          "Requests per op count everything the localnet received from the Courier process during the run, boot and health probes included.",
          "In flight: every op signed, persisted and sent, none confirmed (60 s slots), with the default config; the Courier process runs the compiled CLI under node with the node flags of `pnpm start`, as in the other runs.",
        ],
      };
    } finally {
      await localnet.stop();
      await limitedNet.stop();
    }
  },
};
