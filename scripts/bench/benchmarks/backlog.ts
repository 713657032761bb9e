/**
 * 3. Backlog independence: the cost of one claim (claimDue of a batch of due ops) with 1k, 100k
 * and 1M pending ops that are not yet due. The backlog is written straight into the store file
 * with one prepared INSERT in one transaction (setup speed only, see lib/ops.ts); the due ops
 * of each measured claim go through the store's createOp. Baseline in the same run: the lookup
 * of the design Courier replaces, "select every pending op", on the same files.
 */
import { createBacklogStore } from "../lib/backlog-template.js";
import { createOps } from "../lib/ops.js";
import { getMedian } from "../lib/percentiles.js";
import type { Benchmark, Metric } from "../lib/result.js";
import { round } from "../lib/result.js";
import { getMonotonicMs, measure } from "../lib/timing.js";
import { openRawDatabase } from "../lib/workspace-deps.js";

const BATCH = 256;

interface SizeResult {
  backlog: number;
  setup_ms: number;
  claim_ms: number;
  next_due_ms: number;
  naive_select_ms: number;
  plan: string[];
}

function formatSize(n: number): string {
  return n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1_000 ? `${n / 1_000}k` : String(n);
}

async function measureSize(backlog: number, reps: number, naiveReps: number): Promise<SizeResult> {
  const t0 = getMonotonicMs();
  // Not yet due: spread over the next hours so the index is a realistic range, not one key.
  const temp = await createBacklogStore(`backlog-${formatSize(backlog)}`, backlog);
  const setup_ms = getMonotonicMs() - t0;
  try {
    const claims: number[] = [];
    const nextDue: number[] = [];
    const warmup = 3;
    for (let r = 0; r < warmup + reps; r++) {
      await createOps(temp.store, BATCH, () => Date.now() - 1);
      const claim = await measure(() => temp.store.claimDue({ now: Date.now(), limit: BATCH, owner: "bench", lease_ms: 60_000 }));
      if (claim.value.length !== BATCH) throw new Error(`claimed ${claim.value.length} of ${BATCH} due ops`);
      const next = await measure(() => temp.store.nextDueAt());
      if (r >= warmup) {
        claims.push(claim.ms);
        nextDue.push(next.ms);
      }
    }
    const db = openRawDatabase(temp.path);
    const naive: number[] = [];
    try {
      // Stream the rows (no 1M-element array) and pick the due ones in the application, as a
      // crank without a due-time index does.
      const selectAll = db.prepare<[], { next_exec: number }>("SELECT * FROM ops WHERE status = 'pending'");
      // One pass at the large sizes: each takes seconds, and its growth is the point.
      const passes = backlog > 100_000 ? 1 : naiveReps;
      for (let r = 0; r < passes; r++) {
        const lookup = await measure(() => {
          const now = Date.now();
          let due = 0;
          for (const row of selectAll.iterate()) if (row.next_exec <= now) due++;
          return due;
        });
        naive.push(lookup.ms);
      }
    } finally {
      db.close();
    }
    return {
      backlog,
      setup_ms: Math.round(setup_ms),
      claim_ms: getMedian(claims),
      next_due_ms: getMedian(nextDue),
      naive_select_ms: getMedian(naive),
      plan: temp.store.explainDueLookup(),
    };
  } finally {
    await temp.dispose();
  }
}

export const backlog: Benchmark = {
  name: "backlog",
  title: "Backlog independence (claim cost vs. not-yet-due pending ops)",
  async run({ smoke, progress }) {
    const sizes = smoke ? [1_000, 10_000] : [1_000, 100_000, 1_000_000];
    const reps = smoke ? 5 : 30;
    const naiveReps = smoke ? 1 : 3;
    const results: SizeResult[] = [];
    for (const size of sizes) {
      const r = await measureSize(size, reps, naiveReps);
      results.push(r);
      progress(`backlog ${formatSize(size)}: claim ${r.claim_ms.toFixed(3)} ms, naive select ${r.naive_select_ms.toFixed(1)} ms (setup ${r.setup_ms} ms)`);
    }
    const first = results[0] as SizeResult;
    const last = results[results.length - 1] as SizeResult;
    const metrics: Metric[] = [];
    for (const r of results) {
      metrics.push({
        name: `claim_ms_${formatSize(r.backlog)}`,
        value: round(r.claim_ms, 3),
        unit: "ms",
        label: `claimDue(${BATCH}) with ${formatSize(r.backlog)} not-yet-due pending (median)`,
      });
    }
    metrics.push({
      name: "claim_ratio_largest_smallest",
      value: round(last.claim_ms / first.claim_ms),
      unit: "x",
      label: `claim cost ratio ${formatSize(last.backlog)} / ${formatSize(first.backlog)}`,
    });
    for (const r of results) {
      metrics.push({
        name: `naive_select_ms_${formatSize(r.backlog)}`,
        value: round(r.naive_select_ms, 2),
        unit: "ms",
        label: `baseline: select every pending op with ${formatSize(r.backlog)} backlog (median)`,
      });
    }
    metrics.push({
      name: "naive_ratio_largest_smallest",
      value: round(last.naive_select_ms / first.naive_select_ms),
      unit: "x",
      label: `baseline ratio ${formatSize(last.backlog)} / ${formatSize(first.backlog)}`,
    });
    return {
      metrics,
      details: {
        batch: BATCH,
        reps,
        naive_passes: `${naiveReps} up to 100k, 1 above`,
        sizes: results.map((r) => ({
          backlog: r.backlog,
          claim_ms: round(r.claim_ms, 4),
          next_due_at_ms: round(r.next_due_ms, 4),
          naive_select_ms: round(r.naive_select_ms, 2),
          setup_insert_ms: r.setup_ms,
        })),
        due_lookup_plan: last.plan,
      },
      notes: [
        `Backlog ops are due 1 h to 25 h ahead; each measured claim takes ${BATCH} ops created due a moment earlier (3 warm-up claims, then the median of ${reps}).`,
        "Setup writes the backlog with one prepared INSERT in one transaction through better-sqlite3 (the same columns createOp writes; secondary indexes rebuilt after), then a checkpoint; each size is a fresh copy of that file.",
      ],
    };
  },
};
