/**
 * The benchmark harness in smoke mode: `run.ts --smoke --json` in a real child process must
 * produce a well-formed result for every registered benchmark. No timing assertions: the
 * figures of a smoke run mean nothing, only their shape is checked.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BENCHMARKS } from "./registry.js";
import type { BenchReport } from "./run-benchmarks.js";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

function runBench(args: string[], timeoutMs: number) {
  return spawnSync(process.execPath, ["--import", "tsx", "scripts/bench/run.ts", ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    timeout: timeoutMs,
    maxBuffer: 16 * 1024 * 1024,
  });
}

describe("pnpm bench --smoke", () => {
  // One child process per benchmark, each with its own generous bound: e2e-default starts a real
  // `courier start`, retention and dashboard-render seed stores (a minute each on a loaded machine).
  it.each(BENCHMARKS.map((b) => b.name))("%s runs in smoke mode and reports finite, positive figures", (name) => {
    const r = runBench(["--smoke", "--json", "--only", name], 280_000);
    expect(r.error, r.stderr).toBeUndefined();
    const report = JSON.parse(r.stdout) as BenchReport;
    expect(report.failures, r.stderr).toEqual([]);
    expect(r.status, r.stderr).toBe(0);
    expect(report.smoke).toBe(true);
    expect(report.machine.cores).toBeGreaterThan(0);
    expect(report.machine.node).toBe(process.version);
    expect(report.results.map((x) => x.name)).toEqual([name]);
    for (const result of report.results) {
      expect(result.metrics.length, result.name).toBeGreaterThan(0);
      for (const m of result.metrics) {
        expect(m.name, result.name).toMatch(/^[a-z0-9_]+$/);
        expect(m.unit.length, m.name).toBeGreaterThan(0);
        expect(Number.isFinite(m.value), `${result.name}.${m.name} = ${m.value}`).toBe(true);
        expect(m.value, `${result.name}.${m.name}`).toBeGreaterThan(0);
      }
    }
  }, 300_000);

  it("refuses an unknown benchmark name with exit code 2", () => {
    const r = runBench(["--smoke", "--only", "no-such-benchmark"], 30_000);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown benchmark no-such-benchmark");
  }, 40_000);
});
