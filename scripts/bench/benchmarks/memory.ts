/**
 * 5. Memory: peak RSS of a crank process with 1M ops in the store and 1k in flight (an executor
 * that holds every op open until 1k are held at once). The crank runs in a child process so the
 * figure is its own, not the harness's; the store file is prepared beforehand by the parent
 * (1M not-yet-due pending ops + 1k due ones, bulk insert as in the backlog benchmark).
 * Baseline in the same run: the same process's RSS after opening the store, before the crank.
 */
import { createBacklogStore } from "../lib/backlog-template.js";
import { forkWorker } from "../lib/child.js";
import { bulkInsertOps } from "../lib/ops.js";
import type { Benchmark } from "../lib/result.js";
import { toMiB } from "../lib/rss.js";

export const memory: Benchmark = {
  name: "memory",
  title: "Memory (peak RSS of one crank process)",
  async run({ smoke, progress }) {
    const backlog = smoke ? 10_000 : 1_000_000;
    const inFlight = smoke ? 100 : 1_000;
    const holdMs = smoke ? 200 : 2_000;
    const temp = await createBacklogStore("memory", backlog);
    try {
      const now = Date.now();
      bulkInsertOps(temp.path, inFlight, () => now - 1_000, now);
      await temp.store.close();
      progress(`memory: store ready (${backlog} pending + ${inFlight} due), starting the crank process`);
      const worker = forkWorker(new URL("../workers/memory-worker.ts", import.meta.url), [temp.path, String(inFlight), String(holdMs)]);
      const done = await worker.next("done", 180_000);
      await worker.exited(10_000);
      const baseline = Number(done.baseline_rss);
      const sampled = Number(done.peak_rss_sampled);
      const hwm = done.peak_rss_hwm === null ? sampled : Number(done.peak_rss_hwm);
      if (Number(done.max_held) < inFlight) throw new Error(`only ${String(done.max_held)} of ${inFlight} ops were in flight at once`);
      const peak = Math.max(sampled, hwm);
      progress(`memory: baseline ${toMiB(baseline)} MiB, peak ${toMiB(peak)} MiB`);
      return {
        metrics: [
          { name: "peak_rss_mib", value: toMiB(peak), unit: "MiB", label: `peak RSS, crank with ${backlog.toLocaleString("en-US")} ops stored and ${inFlight.toLocaleString("en-US")} in flight` },
          { name: "baseline_rss_mib", value: toMiB(baseline), unit: "MiB", label: "baseline: same process after opening the store, before the crank" },
        ],
        details: {
          crank_rss_delta_mib: toMiB(sampled - baseline),
          backlog,
          in_flight: inFlight,
          hold_ms: holdMs,
          baseline_rss_bytes: baseline,
          baseline_hwm_bytes: done.baseline_hwm,
          peak_rss_sampled_bytes: sampled,
          peak_rss_hwm_bytes: done.peak_rss_hwm,
          crank_in_flight_at_peak: done.crank_in_flight,
          rss_samples: done.samples,
        },
        notes: [
          "Peak is the kernel's high-water mark (VmHWM) of the crank process, which also covers start-up (tsx compiling the sources); the sampled figure is process.memoryUsage.rss() every 20 ms while the crank runs.",
        ],
      };
    } finally {
      await temp.dispose();
    }
  },
};
