/**
 * The report a simulation prints (text, or JSON with --json). Verdict: ok when every scheduled
 * run succeeded exactly once: nothing lost, nothing failed, no duplicate on chain, and the store
 * and the chain agree. Reasons for anything else are listed in `problems`.
 */
import type { RunVerdicts } from "./verify-runs.js";

export interface SimReport {
  scenario: string;
  description: string;
  cluster: { kind: "localnet" | "remote"; url: string; signer: string };
  size: "full" | "smoke";
  started_at: string;
  duration_ms: number;
  /** Planned ops (a recurring op is one op with several runs). */
  ops: number;
  /** Runs that should have executed (each a transfer on chain). */
  scheduled: number;
  succeeded: number;
  failed: number;
  lost: number;
  missed: number;
  duplicates: number;
  missing_on_chain: number;
  duplicate_check: { recipients_checked: number; landed_signatures: number };
  /** Due time → confirmation, over successful runs. */
  lag_ms: { p50: number | null; p99: number | null; max: number | null; count: number };
  rpc: {
    /** Who counted: the localnet itself, the in-process crank's pool, the proxy in front of a remote cluster. */
    source: "localnet" | "pool" | "proxy" | "unavailable";
    requests: number | null;
    per_op: number | null;
    by_method: Record<string, number>;
  };
  outcomes: Record<string, number>;
  by_instance: Record<string, number>;
  details: Record<string, unknown>;
  problems: string[];
  ok: boolean;
}

export interface BuildReportArgs {
  scenario: string;
  description: string;
  cluster: SimReport["cluster"];
  smoke: boolean;
  startedAt: number;
  endedAt: number;
  ops: number;
  verdicts: RunVerdicts;
  rpc: { source: SimReport["rpc"]["source"]; byMethod: Record<string, number> | null };
  details: Record<string, unknown>;
}

export function buildSimReport(a: BuildReportArgs): SimReport {
  const v = a.verdicts;
  const sorted = [...v.lags_ms].sort((x, y) => x - y);
  const requests = a.rpc.byMethod ? Object.values(a.rpc.byMethod).reduce((s, n) => s + n, 0) : null;
  const byMethod = Object.fromEntries(Object.entries(a.rpc.byMethod ?? {}).sort((x, y) => y[1] - x[1]));
  return {
    scenario: a.scenario,
    description: a.description,
    cluster: a.cluster,
    size: a.smoke ? "smoke" : "full",
    started_at: new Date(a.startedAt).toISOString(),
    duration_ms: a.endedAt - a.startedAt,
    ops: a.ops,
    scheduled: v.scheduled,
    succeeded: v.succeeded,
    failed: v.failed,
    lost: v.lost,
    missed: v.missed,
    duplicates: v.duplicates,
    missing_on_chain: v.missing_on_chain,
    duplicate_check: { recipients_checked: v.recipients_checked, landed_signatures: v.landed_signatures },
    lag_ms: { p50: getPercentile(sorted, 50), p99: getPercentile(sorted, 99), max: sorted.at(-1) ?? null, count: sorted.length },
    rpc: {
      source: a.rpc.source,
      requests,
      per_op: requests !== null && v.scheduled > 0 ? round1(requests / v.scheduled) : null,
      by_method: byMethod,
    },
    outcomes: v.outcomes,
    by_instance: v.by_instance,
    details: a.details,
    problems: v.problems,
    ok: v.lost === 0 && v.failed === 0 && v.duplicates === 0 && v.missing_on_chain === 0,
  };
}

/** Nearest-rank percentile of an ascending array (null when empty). */
export function getPercentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

const PROBLEMS_SHOWN = 10;
const COUNTED_BY: Record<SimReport["rpc"]["source"], string> = {
  localnet: "localnet",
  pool: "crank's RPC pool",
  proxy: "counting proxy in front of the cluster",
  unavailable: "nobody",
};

const LABEL_WIDTH = 20;

function listCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
}

function row(label: string, value: string): string {
  return `  ${label.padEnd(LABEL_WIDTH)} ${value}`;
}

export function formatSimReport(r: SimReport): string {
  const ms = (n: number | null) => (n === null ? "–" : `${Math.round(n)} ms`);
  const methods = Object.entries(r.rpc.by_method)
    .slice(0, 8)
    .map(([m, n]) => `${m} ${n}`)
    .join(", ");
  const rpc =
    r.rpc.requests === null
      ? "not measured"
      : `${r.rpc.per_op} per op (${r.rpc.requests} requests counted by the ${COUNTED_BY[r.rpc.source]}: ${methods})`;
  const lines = [
    `courier sim ${r.scenario} (${r.size}) on ${r.cluster.url}`,
    `  ${r.description}`,
    row("scheduled", `${r.scheduled} runs in ${r.ops} op(s)`),
    row("succeeded", String(r.succeeded)),
    row("failed", String(r.failed)),
    row("lost", String(r.lost)),
    row("duplicates", `${r.duplicates} on chain (${r.duplicate_check.recipients_checked} recipient balances checked, ${r.duplicate_check.landed_signatures} signatures landed for ${r.succeeded} runs)`),
    ...(r.missing_on_chain > 0 ? [row("missing", `${r.missing_on_chain} run(s) marked succeeded but not on chain`)] : []),
    ...(r.missed > 0 ? [row("missed", `${r.missed} run(s) skipped by the misfire policy`)] : []),
    row("lag", `p50 ${ms(r.lag_ms.p50)}, p99 ${ms(r.lag_ms.p99)}, max ${ms(r.lag_ms.max)} (due time → confirmed, ${r.lag_ms.count} runs)`),
    row("rpc requests", rpc),
    row("attempts", listCounts(r.outcomes) || "none"),
    ...(Object.keys(r.by_instance).length > 1 ? [row("by instance", listCounts(r.by_instance))] : []),
    ...Object.entries(r.details).map(([k, val]) => row(k, typeof val === "string" ? val : JSON.stringify(val))),
    row("duration", `${(r.duration_ms / 1000).toFixed(1)} s`),
    ...r.problems.slice(0, PROBLEMS_SHOWN).map((p) => `  ! ${p}`),
    ...(r.problems.length > PROBLEMS_SHOWN ? [`  ! … ${r.problems.length - PROBLEMS_SHOWN} more (see --json)`] : []),
    row("verdict", r.ok ? "OK" : "FAIL"),
  ];
  return lines.join("\n");
}
