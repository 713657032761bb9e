/**
 * `pnpm bench [--smoke] [--only NAME[,NAME]] [--json | --markdown] [--out FILE]`
 * --smoke: seconds-long runs that only check the harness works (figures mean nothing).
 * --only:  run the named benchmarks (repeatable or comma-separated).
 * --json:  print the full report as JSON on stdout (progress stays on stderr).
 * --markdown: print the figures as Markdown tables (for docs/BENCHMARKS.md).
 * --out FILE: also write the full JSON report to FILE.
 * Exit code 1 when a benchmark failed, 2 on bad flags.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { formatMarkdown, formatReport } from "./format-report.js";
import { disposeBacklogTemplates } from "./lib/backlog-template.js";
import { coerceError } from "./lib/courier.js";
import { removeTempDirs } from "./lib/temp-store.js";
import { runBenchmarks, selectBenchmarks } from "./run-benchmarks.js";

async function main(): Promise<number> {
  let values: { smoke?: boolean; json?: boolean; markdown?: boolean; out?: string; only?: string[] };
  try {
    ({ values } = parseArgs({
      options: { smoke: { type: "boolean" }, json: { type: "boolean" }, markdown: { type: "boolean" }, out: { type: "string" }, only: { type: "string", multiple: true } },
      strict: true,
      allowPositionals: false,
    }));
    const only = (values.only ?? []).flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean);
    selectBenchmarks(only);
    values.only = only;
  } catch (e) {
    console.error(`bench: ${coerceError(e).message}`);
    return 2;
  }
  // Interrupted: leave no temp store behind (child processes get the terminal's signal too).
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      removeTempDirs();
      disposeBacklogTemplates();
      process.exit(130);
    });
  }
  const report = await runBenchmarks({ smoke: values.smoke === true, only: values.only, progress: (l) => console.error(l) });
  if (values.out) writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(values.json ? JSON.stringify(report, null, 2) : values.markdown ? formatMarkdown(report) : formatReport(report));
  return report.failures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
