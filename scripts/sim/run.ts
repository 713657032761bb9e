/**
 * `pnpm sim <scenario> [--rpc URL --keypair FILE] [--smoke] [--fast] [--json] [--slot-ms N] [--profile devnet] [--keep]`
 * Progress goes to stderr, the report to stdout (JSON with --json).
 * Exit codes: 0 every run succeeded exactly once; 1 a run lost or failed, a duplicate on chain, a
 * store/chain disagreement, or the simulation could not complete (one line on stderr, never a
 * stack trace); 2 usage error.
 */
import { coerceError, isCourierError } from "./workspace.js";
import { killStartedCrankProcesses } from "./crank-process.js";
import { runSimulation } from "./run-simulation.js";
import { parseSimArgs } from "./sim-args.js";
import { formatSimReport } from "./sim-report.js";

async function main(): Promise<number> {
  let args: ReturnType<typeof parseSimArgs>;
  try {
    args = parseSimArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`sim: ${coerceError(e).message}\n`);
    return 2;
  }
  try {
    const { report, keptDir } = await runSimulation(args, (line) => process.stderr.write(`${line}\n`));
    process.stdout.write(`${args.json ? JSON.stringify(report, null, 2) : formatSimReport(report)}\n`);
    if (keptDir) process.stderr.write(`sim: run directory kept: ${keptDir}\n`);
    return report.ok ? 0 : 1;
  } catch (e) {
    const err = coerceError(e);
    process.stderr.write(`sim: ${err.message.split("\n")[0]}\n`);
    return isCourierError(err, "COURIER__CONFIG") ? 2 : 1;
  }
}

// Ctrl-C: crank processes this run started must not outlive it.
process.once("SIGINT", () => {
  killStartedCrankProcesses();
  process.stderr.write("sim: interrupted\n");
  process.exit(130);
});

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`sim: ${coerceError(e).message.split("\n")[0]}\n`);
    process.exit(1);
  },
);
