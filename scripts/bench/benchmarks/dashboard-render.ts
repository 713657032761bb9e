/**
 * Dashboard render time with 1M ops stored (goal: p95 ≤ 50 ms server-side). The store holds a
 * 1M-op backlog (lib/backlog-template.ts), 100k of them moved to succeeded, and 200k attempts
 * ended over the last 24 h, so the charts, counts and pages read a store of realistic size.
 * Each page is rendered in-process through the admin app (`app.fetch` to the last byte): the
 * server's work, without a network or a browser. The baseline in the same run is
 * `GET /admin/api/courier/stats`, the JSON the overview is built from.
 */
import { createAdminApp } from "@courier/admin";
import { createBacklogStore } from "../lib/backlog-template.js";
import { createActionRegistry, systemClock } from "../lib/courier.js";
import { getMedian, getPercentile } from "../lib/percentiles.js";
import type { Benchmark, Metric } from "../lib/result.js";
import { round } from "../lib/result.js";
import { measure } from "../lib/timing.js";
import { openRawDatabase } from "../lib/workspace-deps.js";

const DAY_MS = 86_400_000;

/** History the pages show: some ops done, attempts spread over the last 24 h. */
function seedHistory(path: string, opCount: number, attempts: number): void {
  const db = openRawDatabase(path);
  try {
    const now = Date.now();
    db.exec(`UPDATE ops SET status = 'succeeded', exec_count = 1 WHERE rowid % 10 = 0`);
    const ids = db.prepare<[number], { id: string }>("SELECT id FROM ops WHERE rowid % 10 = 0 LIMIT ?").all(attempts);
    const insert = db.prepare(
      "INSERT INTO attempts (op_id, run, attempt, instance, action, started_at, ended_at, outcome, error_code, error, signature, latency_ms) VALUES (?, 1, 1, 'bench', 'bench.noop', ?, ?, ?, NULL, NULL, NULL, ?)",
    );
    db.transaction(() => {
      for (let i = 0; i < attempts; i++) {
        const ended = now - Math.floor((i / attempts) * DAY_MS);
        const outcome = i % 50 === 0 ? "permanent" : i % 20 === 0 ? "retryable" : "ok";
        insert.run(ids[i % ids.length]?.id ?? "op_x", ended - 40, ended, outcome, 40 + (i % 200));
      }
    })();
    if (opCount <= 0) throw new Error("empty backlog");
  } finally {
    db.close();
  }
}

export const dashboardRender: Benchmark = {
  name: "dashboard-render",
  title: "Dashboard server render time with 1M ops stored",
  async run({ smoke, progress }) {
    const size = smoke ? 10_000 : 1_000_000;
    const attempts = smoke ? 2_000 : 200_000;
    const reps = smoke ? 10 : 200;
    const temp = await createBacklogStore(`dashboard-${size}`, size);
    try {
      seedHistory(temp.path, size, attempts);
      const app = createAdminApp({ store: temp.store, registry: createActionRegistry(), clock: systemClock, instanceId: "bench" });
      const get = async (path: string) => {
        const res = await app.fetch(new Request(`http://127.0.0.1${path}`));
        const body = await res.text();
        if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${body.slice(0, 200)}`);
        return body;
      };
      // an op deep in the listing, and a cursor 100 pages in
      const page = await temp.store.listOps({ limit: 50 });
      const opId = page.ops[0]?.id as string;
      let cursor = page.next_cursor;
      for (let i = 0; i < (smoke ? 3 : 100) && cursor; i++) cursor = (await temp.store.listOps({ limit: 50, cursor })).next_cursor;
      const pages: Array<[string, string]> = [
        ["overview", "/admin/ui"],
        ["ops", "/admin/ui/ops"],
        ["ops_filtered", "/admin/ui/ops?status=succeeded"],
        ["ops_deep_page", `/admin/ui/ops?cursor=${encodeURIComponent(cursor ?? "")}`],
        ["op", `/admin/ui/ops/${opId}`],
        ["upcoming", "/admin/ui/upcoming"],
        // baseline from the same run: the JSON stats the overview is built from, without HTML
        ["stats_api_baseline", "/admin/api/courier/stats"],
      ];
      const first = await measure(() => get("/admin/ui"));
      progress(`dashboard: first overview render (charts counted from the store) ${first.ms.toFixed(1)} ms`);
      const metrics: Metric[] = [];
      const details: Record<string, unknown> = { ops: size, attempts_24h: attempts, reps, first_overview_ms: round(first.ms, 1) };
      for (const [name, path] of pages) {
        const samples: number[] = [];
        for (let r = 0; r < 5 + reps; r++) {
          const m = await measure(() => get(path));
          if (r >= 5) samples.push(m.ms);
        }
        const d = { p50: getMedian(samples), p95: getPercentile(samples, 95), max: Math.max(...samples) };
        progress(`dashboard ${name}: p50 ${d.p50.toFixed(2)} ms, p95 ${d.p95.toFixed(2)} ms`);
        metrics.push({ name: `${name}_p95_ms`, value: round(d.p95, 2), unit: "ms", label: `GET ${path.split("?")[0]} (${name}), server render p95 (${reps} renders)` });
        details[name] = { p50_ms: round(d.p50, 2), p95_ms: round(d.p95, 2), max_ms: round(d.max, 2) };
      }
      return { metrics, details, notes: ["goal: p95 ≤ 50 ms for the overview and the ops page with 1M ops stored"] };
    } finally {
      await temp.dispose();
    }
  },
};
