/** Scratch: the store alone, claim N + finish (per-op or batched). Deleted at the end. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "../packages/agent/src/store/index.js";
import type { AttemptRecord } from "../packages/agent/src/types.js";
import { bulkInsertOps } from "./bench/lib/ops.js";

const [count = 20000, claim = 10, batched = 1] = process.argv.slice(2).map(Number);
const dir = mkdtempSync(join(tmpdir(), "perf-store-"));
const path = join(dir, "c.db");
const store = await openSqliteStore(path);
const now0 = Date.now();
bulkInsertOps(path, count, (i) => now0 - 1000 + (i % 1000), now0);
const t0 = performance.now();
const c0 = process.cpuUsage();
let finished = 0;
for (;;) {
  const claimedAt = Date.now();
  const claimed = await store.claimDue({ now: claimedAt, limit: claim, owner: "o", lease_ms: 60_000 });
  if (claimed.length === 0) break;
  const args = claimed.map(({ op }) => {
    const now = Date.now();
    const attempt: AttemptRecord = { op_id: op.id, run: op.run, attempt: op.attempts, instance: "o", action: op.action, started_at: claimedAt, ended_at: now, outcome: "ok", error_code: null, error: null, signature: null, latency_ms: now - claimedAt };
    return { id: op.id, owner: "o", now, transition: { kind: "finish" as const, status: "succeeded" as const, exec_count: 1, last_error: null }, attempt };
  });
  if (batched) finished += (await store.finishAttempts!(args)).filter(Boolean).length;
  else for (const a of args) if (await store.finishAttempt(a)) finished++;
}
const ms = performance.now() - t0;
const cpu = process.cpuUsage(c0);
console.log(JSON.stringify({ count, claim, batched, finished, ms: Math.round(ms), ops_per_s: Math.round((count / ms) * 1000), cpu_us_per_op: Math.round((cpu.user + cpu.system) / count) }));
await store.close();
rmSync(dir, { recursive: true, force: true });
