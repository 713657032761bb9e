/**
 * The chaos soak: `pnpm chaos --minutes N [--seed S] [--only a,b]` runs the chaos scenarios in
 * rounds with fresh seeds (and sizes drawn from them) until N minutes have passed. One line per
 * scenario and one per round; stops at the first round with a violation and exits 1 (0 when
 * every round held, 2 on bad arguments).
 */
import { createSeededRandom } from "@courier/agent";
import { type ScenarioReport, formatReport, killAllChildren } from "./helpers.js";
import { runBlockhashExpiry } from "./scenarios/blockhash-expiry.js";
import { runCrashLoop } from "./scenarios/crash-loop.js";
import { runFaultMix } from "./scenarios/fault-mix.js";
import { runKillRestart } from "./scenarios/kill-restart.js";
import { runOutage } from "./scenarios/outage.js";
import { runStoreLock } from "./scenarios/store-lock.js";
import { runWebhookOutage } from "./scenarios/webhook-outage.js";

type Scenario = (seed: number, random: () => number) => Promise<ScenarioReport>;

const between = (random: () => number, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

const SCENARIOS: Record<string, Scenario> = {
  "kill-restart": (seed, r) => runKillRestart({ seed, ops: between(r, 24, 60), kills: between(r, 3, 8) }),
  "fault-mix": (seed, r) => runFaultMix({ seed, ops: between(r, 20, 60), faultMs: between(r, 3_000, 10_000) }),
  outage: (seed, r) => runOutage({ seed, ops: between(r, 16, 40), outageMs: between(r, 3_000, 12_000) }),
  "blockhash-expiry": (seed, r) => runBlockhashExpiry({ seed, ops: between(r, 8, 32) }),
  "store-lock": (seed, r) => runStoreLock({ seed, ops: between(r, 20, 50), lockMs: between(r, 10_000, 15_000) }),
  "crash-loop": (seed, r) => runCrashLoop({ seed, ops: between(r, 10, 30), maxRestarts: between(r, 1, 4) }),
  "webhook-outage": (seed, r) => runWebhookOutage({ seed, ops: between(r, 8, 32), downMs: between(r, 1_000, 8_000) }),
};

function parseArgs(argv: string[]): { minutes: number; seed: number; only: string[] } {
  let minutes = 5;
  let seed = Date.now() % 1_000_000;
  let only = Object.keys(SCENARIOS);
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === "--") continue;
    if (value === undefined) usage(`${flag} needs a value`);
    if (flag === "--minutes") minutes = Number(value);
    else if (flag === "--seed") seed = Number(value);
    else if (flag === "--only") only = String(value).split(",");
    else usage(`unknown flag ${flag}`);
    i++;
  }
  if (!Number.isFinite(minutes) || minutes <= 0) usage("--minutes must be a positive number");
  if (!Number.isInteger(seed)) usage("--seed must be an integer");
  const unknown = only.filter((n) => !(n in SCENARIOS));
  if (unknown.length > 0) usage(`unknown scenario(s) ${unknown.join(", ")}; known: ${Object.keys(SCENARIOS).join(", ")}`);
  return { minutes, seed, only };
}

function usage(message: string): never {
  process.stderr.write(`chaos: ${message}\nusage: pnpm chaos --minutes N [--seed S] [--only ${Object.keys(SCENARIOS).join(",")}]\n`);
  process.exit(2);
}

async function main(): Promise<number> {
  const { minutes, seed, only } = parseArgs(process.argv.slice(2));
  const deadline = Date.now() + minutes * 60_000;
  process.once("SIGINT", () => {
    killAllChildren();
    process.stderr.write("chaos: interrupted\n");
    process.exit(130);
  });
  process.stdout.write(`chaos soak: ${minutes} min, first seed ${seed}, scenarios ${only.join(", ")}\n`);
  for (let round = 1; Date.now() < deadline; round++) {
    const roundSeed = seed + round - 1;
    const random = createSeededRandom(roundSeed);
    const started = Date.now();
    const failed: ScenarioReport[] = [];
    let ops = 0;
    for (const name of only) {
      if (Date.now() >= deadline && round > 1) break;
      let report: ScenarioReport;
      try {
        report = await (SCENARIOS[name] as Scenario)(between(random, 1, 2 ** 31 - 1), random);
      } catch (e) {
        report = { name, seed: roundSeed, ops: 0, duration_ms: 0, violations: [`scenario threw: ${e instanceof Error ? e.message : String(e)}`], details: {} };
      } finally {
        killAllChildren();
      }
      ops += report.ops;
      process.stdout.write(`  ${formatReport(report)}\n`);
      if (report.violations.length > 0) failed.push(report);
    }
    const verdict = failed.length === 0 ? "ok" : `FAIL in ${failed.map((f) => f.name).join(", ")}`;
    process.stdout.write(`round ${round} seed=${roundSeed} ops=${ops} ${((Date.now() - started) / 1000).toFixed(0)}s ${verdict}\n`);
    if (failed.length > 0) {
      for (const f of failed) for (const v of f.violations) process.stderr.write(`${f.name}: ${v}\n`);
      return 1;
    }
  }
  return 0;
}

process.exit(await main());
