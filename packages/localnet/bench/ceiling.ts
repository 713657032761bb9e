/**
 * The localnet's ceiling (docs/BENCHMARKS.md "Localnet ceiling").
 *   npx tsx packages/localnet/bench/ceiling.ts [--smoke] [--count N] [--runs N] [--url URL] [--preflight] [--batch N] [--concurrency N]
 * Each run also measures the engine alone (bank.send in-process) for comparison.
 */
import { measureEngineCeiling, measureLocalnetCeiling } from "../src/bench-ceiling.js";

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const smoke = process.argv.includes("--smoke");
const runs = smoke ? 1 : Number(flag("--runs") ?? 3);
const results = [];
for (let r = 0; r < runs; r++) {
  const result = await measureLocalnetCeiling({
    url: flag("--url"),
    count: Number(flag("--count") ?? (smoke ? 2000 : 50_000)),
    batchSize: Number(flag("--batch") ?? 64),
    concurrency: Number(flag("--concurrency") ?? 4),
    skipPreflight: !process.argv.includes("--preflight"),
  });
  const engine = await measureEngineCeiling(result.count);
  results.push({ ...result, enginePerSec: engine.perSec });
  process.stdout.write(`${JSON.stringify({ ...result, engine })}\n`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
process.stdout.write(
  `median of ${runs}: accepted ${median(results.map((r) => r.acceptedPerSec))}/s, confirmed ${median(results.map((r) => r.confirmedPerSec))}/s, engine alone ${median(results.map((r) => r.enginePerSec))}/s\n`,
);
