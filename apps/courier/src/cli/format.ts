/**
 * Human-readable output for a terminal. It reads the same JSON objects the `--json` output
 * prints (and the admin API returns), so the two never disagree on a value.
 */
type Json = Record<string, unknown>;

export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}

export function formatKeyValues(pairs: Array<[string, string]>): string {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n");
}

function text(v: unknown): string {
  if (v === null || v === undefined || v === "") return "-";
  if (typeof v === "string") return v;
  return JSON.stringify(v);
}

function ms(v: unknown): string {
  return typeof v === "number" ? `${v} ms` : "-";
}

export function formatSchedule(schedule: unknown): string {
  const s = (schedule ?? {}) as Json;
  if (s.kind === "every") return `every ${text(s.every_ms)} ms`;
  if (s.kind === "cron") return `cron "${text(s.cron)}" (${text(s.tz)})`;
  return "once";
}

export function formatOp(op: Json): string {
  return formatKeyValues([
    ["id", text(op.id)],
    ["action", text(op.action)],
    ["status", text(op.status)],
    ["schedule", formatSchedule(op.schedule)],
    ["next_exec", text(op.next_exec)],
    ["runs done", `${text(op.exec_count)}${op.max_exec === null || op.max_exec === undefined ? "" : ` of ${text(op.max_exec)}`}`],
    ["attempts", `${text(op.attempts)} of ${text(op.max_attempts)}`],
    ["expires_at", text(op.expires_at)],
    ["idempotency_key", text(op.idempotency_key)],
    ["last_error", text(op.last_error)],
    ["params", text(op.params)],
  ]);
}

export function formatOpList(ops: Json[], nextCursor: string | null): string {
  if (ops.length === 0) return "no ops";
  const table = formatTable(
    ["ID", "ACTION", "STATUS", "NEXT EXEC", "RUNS", "ATTEMPTS", "LAST ERROR"],
    ops.map((op) => [
      text(op.id),
      text(op.action),
      text(op.status),
      text(op.next_exec),
      text(op.exec_count),
      `${text(op.attempts)}/${text(op.max_attempts)}`,
      text(op.last_error).slice(0, 60),
    ]),
  );
  return nextCursor ? `${table}\n(more: --cursor ${nextCursor})` : table;
}

export function formatOpDetail(detail: Json): string {
  const runs = Array.isArray(detail.runs) ? (detail.runs as Json[]) : [];
  const rows: string[][] = [];
  for (const run of runs) {
    const attempts = Array.isArray(run.attempts) ? (run.attempts as Json[]) : [];
    for (const a of attempts) {
      rows.push([
        text(run.run),
        text(a.attempt),
        text(a.started_at),
        text(a.outcome),
        a.latency_ms === undefined ? "-" : `${text(a.latency_ms)} ms`,
        text(a.signature),
        text(a.error).slice(0, 60),
      ]);
    }
  }
  const history = rows.length ? formatTable(["RUN", "ATTEMPT", "STARTED", "OUTCOME", "LATENCY", "SIGNATURE", "ERROR"], rows) : "no attempts yet";
  return `${formatOp(detail)}\n\n${history}`;
}

export function formatStats(stats: Json): string {
  const totals = (stats.totals ?? {}) as Json;
  const byStatus = (stats.ops_by_status ?? {}) as Json;
  const latency = (stats.latency_ms ?? {}) as Json;
  const instances = Array.isArray(stats.instances) ? (stats.instances as Json[]) : [];
  const rpc = Array.isArray(stats.rpc) ? (stats.rpc as Json[]) : [];
  const spend = (stats.spend ?? {}) as Json;
  const lines = [
    formatKeyValues([
      ["state", text(stats.state)],
      ["ops by status", Object.entries(byStatus).map(([k, v]) => `${k} ${text(v)}`).join(", ")],
      ["totals", Object.entries(totals).map(([k, v]) => `${k} ${text(v)}`).join(", ")],
      ["latency", `p50 ${ms(latency.p50)}, p95 ${ms(latency.p95)}, p99 ${ms(latency.p99)} (${text(latency.count)} attempts)`],
      ["last tick", text(stats.last_tick_at)],
      ["last success", text(stats.last_success_at)],
      ["last failure", text(stats.last_failure_at)],
      ["spend today", `${text(spend.lamports_today)} lamports (cap ${text(spend.cap_per_day)})`],
    ]),
  ];
  if (instances.length) {
    lines.push("", formatTable(["INSTANCE", "STARTED", "LAST TICK", "IN FLIGHT"], instances.map((i) => [text(i.id), text(i.started_at), text(i.last_tick_at), text(i.in_flight)])));
  }
  if (rpc.length) {
    lines.push("", formatTable(["ENDPOINT", "HEALTHY", "CIRCUIT", "LATENCY"], rpc.map((r) => [text(r.endpoint), text(r.healthy), text(r.circuit), text(r.latency_ms)])));
  }
  return lines.join("\n");
}
