/** What every benchmark returns: named positive figures plus free-form details. */

export interface Metric {
  /** Stable snake_case key, e.g. `crank_1p_ops_per_s`. */
  name: string;
  value: number;
  /** `ops/s`, `ms`, `µs`, `MiB`, `x` (ratio), `req/op`… */
  unit: string;
  /** One line on what the number is. */
  label: string;
}

export interface BenchResult {
  name: string;
  title: string;
  smoke: boolean;
  /** Every entry is a measured, finite, strictly positive number (the smoke test checks it). */
  metrics: Metric[];
  /** Counts that may legitimately be 0, parameters, query plans… */
  details: Record<string, unknown>;
  notes: string[];
  duration_ms: number;
}

export interface BenchOptions {
  smoke: boolean;
  /** Progress lines (stderr); results go to stdout. */
  progress: (line: string) => void;
}

export interface Benchmark {
  name: string;
  title: string;
  run(opts: BenchOptions): Promise<Omit<BenchResult, "name" | "title" | "smoke" | "duration_ms">>;
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The metrics that break the contract (not finite or not > 0), for the runner and the smoke test. */
export function getInvalidMetrics(result: Pick<BenchResult, "metrics">): Metric[] {
  return result.metrics.filter((m) => !Number.isFinite(m.value) || m.value <= 0);
}
