/** Order statistics over samples (nearest-rank on a sorted copy; empty input gives NaN). */

export function getPercentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return getSortedPercentile(sorted, p);
}

/** `sorted` must be ascending. p in [0, 100]. */
export function getSortedPercentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((Math.min(100, Math.max(0, p)) / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)] as number;
}

export function getMedian(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export interface Distribution {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  count: number;
}

export function getDistribution(samples: readonly number[]): Distribution {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: getSortedPercentile(sorted, 50),
    p90: getSortedPercentile(sorted, 90),
    p99: getSortedPercentile(sorted, 99),
    max: sorted.length ? (sorted[sorted.length - 1] as number) : Number.NaN,
    count: sorted.length,
  };
}
