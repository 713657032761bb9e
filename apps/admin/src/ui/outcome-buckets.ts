/**
 * Attempt outcomes per time bucket for the overview charts. A bucket that ended a while ago
 * cannot change any more, so it is counted once and kept; each render counts only the buckets
 * still open (an index range on attempts(outcome, ended_at)), whatever the store's size.
 */
import type { OutcomeBucket } from "./chart.js";

export interface OutcomeCount {
  /** Start of the bucket (epoch ms). */
  bucket: number;
  outcome: string;
  n: number;
}

export type CountOutcomes = (args: { since: number; until: number; bucket_ms: number }) => Promise<OutcomeCount[]>;

/** Attempts are written just after they end: a bucket is final this long after it closed. */
const SETTLE_MS = 60_000;

export function createOutcomeBuckets(opts: { bucketMs: number; buckets: number; count: CountOutcomes }) {
  const done = new Map<number, OutcomeBucket>();

  return async function read(now: number): Promise<OutcomeBucket[]> {
    const { bucketMs, buckets } = opts;
    const lastStart = Math.floor(now / bucketMs) * bucketMs;
    const firstStart = lastStart - (buckets - 1) * bucketMs;
    for (const start of done.keys()) if (start < firstStart) done.delete(start);

    let from = firstStart;
    while (from <= lastStart && done.has(from)) from += bucketMs;
    const fresh = new Map<number, OutcomeBucket>();
    if (from <= lastStart) {
      for (const row of await opts.count({ since: from, until: lastStart + bucketMs, bucket_ms: bucketMs })) {
        const b = fresh.get(row.bucket) ?? { start: row.bucket, ok: 0, failed: 0, retried: 0 };
        if (row.outcome === "ok") b.ok += row.n;
        else if (row.outcome === "retryable") b.retried += row.n;
        else b.failed += row.n;
        fresh.set(row.bucket, b);
      }
    }
    const out: OutcomeBucket[] = [];
    for (let start = firstStart; start <= lastStart; start += bucketMs) {
      const cached = done.get(start);
      if (cached) {
        out.push(cached);
        continue;
      }
      const b = fresh.get(start) ?? { start, ok: 0, failed: 0, retried: 0 };
      if (start + bucketMs + SETTLE_MS <= now) done.set(start, b);
      out.push(b);
    }
    return out;
  };
}
