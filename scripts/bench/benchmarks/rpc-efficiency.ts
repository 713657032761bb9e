/**
 * 6. RPC efficiency: JSON-RPC requests per confirmed op, counted at the localnet (every request
 * it received, batch entries counted one by one) while the crank and the Solana executor run a
 * set of sol.transfer ops due at once. Status polls are shared: one getSignatureStatuses call
 * carries the signatures of every op waiting at that moment.
 */
import { startLocalnetProcess } from "../lib/localnet-process.js";
import type { Benchmark } from "../lib/result.js";
import { round } from "../lib/result.js";

const SLOT_MS = 400;

export const rpcEfficiency: Benchmark = {
  name: "rpc-efficiency",
  title: "RPC efficiency (JSON-RPC requests per confirmed sol.transfer)",
  async run({ smoke, progress }) {
    // Loaded here so the Solana stack is only imported by the benchmarks that use it.
    const { getTotalRequests, runTransferLoad } = await import("../lib/transfer-load.js");
    const count = smoke ? 40 : 1_000;
    const localnet = await startLocalnetProcess(smoke ? 50 : SLOT_MS);
    try {
      const r = await runTransferLoad({ localnet, count, concurrency: 64, batchSize: 64, timeoutMs: 180_000 });
      if (r.succeeded !== count) throw new Error(`${r.succeeded} of ${count} transfers succeeded`);
      if (r.transactions !== count) throw new Error(`${r.transactions} transactions landed for ${count} ops`);
      const total = getTotalRequests(r.requests);
      const perOp = (method: string) => (r.requests[method] ?? 0) / count;
      const statusCalls = r.requests.getSignatureStatuses ?? 0;
      // What the same run would have cost with one getSignatureStatuses request per signature
      // per poll instead of one per poll (derived from the poller's counters, not measured).
      const unbatched = total - statusCalls + r.executor.poller.signatures_polled;
      progress(`rpc-efficiency: ${total} requests for ${count} ops (${(total / count).toFixed(2)}/op)`);
      return {
        metrics: [
          { name: "requests_per_op", value: round(total / count, 3), unit: "req/op", label: "JSON-RPC requests per confirmed op (all methods)" },
          { name: "send_per_op", value: round(perOp("sendTransaction"), 3), unit: "req/op", label: "sendTransaction per op (1 = no rebroadcast needed)" },
          {
            name: "signatures_per_status_call",
            value: round(r.executor.poller.signatures_polled / Math.max(1, r.executor.poller.polls), 1),
            unit: "sigs/call",
            label: "signatures per getSignatureStatuses call (batching factor)",
          },
        ],
        details: {
          ops: count,
          slot_ms: smoke ? 50 : SLOT_MS,
          concurrency: 64,
          requests_by_method: r.requests,
          requests_per_op_by_method: Object.fromEntries(Object.entries(r.requests).map(([m, n]) => [m, round(n / count, 3)])),
          transactions_landed: r.transactions,
          derived_unbatched_requests_per_op: round(unbatched / count, 3),
          executor: r.executor,
        },
        notes: [
          `${count} sol.transfer ops due at once, crank concurrency 64, localnet slot ${smoke ? 50 : SLOT_MS} ms (its default is 400), executor defaults (poll 400 ms, rebroadcast 1.5 s); every op landed exactly once (transactions landed = ops).`,
          "An unbatched design polls once per op per poll interval: its requests per op grow with the time to confirmation; here one poll serves every op waiting.",
        ],
      };
    } finally {
      await localnet.stop();
    }
  },
};
