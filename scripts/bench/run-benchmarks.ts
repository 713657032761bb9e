/**
 * Run benchmarks and collect their results with the machine they ran on. The CLI (run.ts) and
 * the smoke test both go through here.
 */
import { disposeBacklogTemplates } from "./lib/backlog-template.js";
import { coerceError } from "./lib/courier.js";
import { getLoadAverage, getMachineInfo, type MachineInfo } from "./lib/machine.js";
import { type BenchResult, type Benchmark, getInvalidMetrics } from "./lib/result.js";
import { getMonotonicMs } from "./lib/timing.js";
import { BENCHMARKS } from "./registry.js";

export interface BenchReport {
  started_at: string;
  finished_at: string;
  /** 1-minute load average when the run ended (the start is in machine.load_1m). */
  load_1m_end: number;
  smoke: boolean;
  machine: MachineInfo;
  results: BenchResult[];
  /** Benchmarks that threw: name and message. */
  failures: Array<{ name: string; error: string }>;
}

export interface RunBenchmarksOptions {
  smoke: boolean;
  only?: readonly string[];
  progress?: (line: string) => void;
}

export function selectBenchmarks(only?: readonly string[]): Benchmark[] {
  if (!only || only.length === 0) return [...BENCHMARKS];
  const unknown = only.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length) {
    throw new Error(`unknown benchmark ${unknown.join(", ")} (known: ${BENCHMARKS.map((b) => b.name).join(", ")})`);
  }
  return BENCHMARKS.filter((b) => only.includes(b.name));
}

export async function runBenchmarks(opts: RunBenchmarksOptions): Promise<BenchReport> {
  const selected = selectBenchmarks(opts.only);
  const progress = opts.progress ?? (() => {});
  const report: BenchReport = {
    started_at: new Date().toISOString(),
    finished_at: "",
    load_1m_end: 0,
    smoke: opts.smoke,
    machine: getMachineInfo(),
    results: [],
    failures: [],
  };
  try {
    await runEach(selected, opts, report, progress);
  } finally {
    disposeBacklogTemplates();
  }
  report.finished_at = new Date().toISOString();
  report.load_1m_end = getLoadAverage();
  return report;
}

async function runEach(selected: Benchmark[], opts: RunBenchmarksOptions, report: BenchReport, progress: (line: string) => void): Promise<void> {
  for (const b of selected) {
    progress(`▶ ${b.name}${opts.smoke ? " (smoke)" : ""}`);
    const t0 = getMonotonicMs();
    try {
      const out = await b.run({ smoke: opts.smoke, progress });
      const result: BenchResult = { name: b.name, title: b.title, smoke: opts.smoke, duration_ms: Math.round(getMonotonicMs() - t0), ...out };
      const invalid = getInvalidMetrics(result);
      if (invalid.length) throw new Error(`non-positive or non-finite figures: ${invalid.map((m) => `${m.name}=${m.value}`).join(", ")}`);
      report.results.push(result);
      progress(`✔ ${b.name} in ${(result.duration_ms / 1_000).toFixed(1)} s`);
    } catch (e) {
      const message = coerceError(e).message;
      report.failures.push({ name: b.name, error: message });
      progress(`✘ ${b.name}: ${message}`);
    }
  }
}
