import type { BenchReport } from "./run-benchmarks.js";

function formatValue(value: number, unit: string): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toLocaleString("en-US", { maximumFractionDigits: digits })} ${unit}`;
}

/** The human-readable summary printed by `pnpm bench` (JSON with --json). */
export function formatReport(report: BenchReport): string {
  const m = report.machine;
  const lines = [
    `Courier benchmarks${report.smoke ? " (smoke mode: harness check only, figures are meaningless)" : ""}`,
    `${report.started_at} · ${m.cpu_model} · ${m.cores} cores · ${m.memory_gb} GB · Node ${m.node} · ${m.platform} · load ${m.load_1m} at start, ${report.load_1m_end} at the end`,
  ];
  for (const r of report.results) {
    lines.push("", `## ${r.title} [${r.name}] (${(r.duration_ms / 1_000).toFixed(1)} s)`);
    const width = Math.max(...r.metrics.map((x) => x.label.length));
    for (const x of r.metrics) lines.push(`  ${x.label.padEnd(width)}  ${formatValue(x.value, x.unit)}`);
    for (const n of r.notes) lines.push(`  · ${n}`);
  }
  for (const f of report.failures) lines.push("", `## FAILED ${f.name}: ${f.error}`);
  return lines.join("\n");
}

function formatMarkdownValue(value: number, unit: string): string {
  return formatValue(value, unit).replace(" x", "×");
}

/** The report as Markdown tables (docs/BENCHMARKS.md is written from this plus a reading). */
export function formatMarkdown(report: BenchReport): string {
  const m = report.machine;
  const lines = [
    `Run ${report.started_at}${report.smoke ? " (smoke mode)" : ""} · ${m.cpu_model} · ${m.cores} cores · ${m.memory_gb} GB · Node ${m.node} · ${m.platform} · 1-min load average ${m.load_1m} at start, ${report.load_1m_end} at the end (finished ${report.finished_at})`,
  ];
  for (const r of report.results) {
    lines.push("", `### ${r.title}`, "", `\`${r.name}\` · ${(r.duration_ms / 1_000).toFixed(0)} s`, "", "| figure | value |", "|---|---:|");
    for (const x of r.metrics) lines.push(`| ${x.label} | ${formatMarkdownValue(x.value, x.unit)} |`);
    if (r.notes.length) lines.push("");
    for (const n of r.notes) lines.push(`- ${n}`);
  }
  for (const f of report.failures) lines.push("", `### FAILED: ${f.name}`, "", f.error);
  return lines.join("\n");
}
