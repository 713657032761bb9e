/** Scratch: the naive baseline from scripts/bench in the same conditions. Deleted at the end. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "../packages/agent/src/store/index.js";
import { bulkInsertOps } from "./bench/lib/ops.js";
import { runNaiveCrank } from "./bench/lib/naive-crank.js";

const count = Number(process.argv[2] ?? 20000);
const dir = mkdtempSync(join(tmpdir(), "perf-naive-"));
const path = join(dir, "c.db");
await (await openSqliteStore(path)).close();
const now0 = Date.now();
bulkInsertOps(path, count, (i) => now0 - 1000 + (i % 1000), now0);
const r = await runNaiveCrank(path, async () => {}, { concurrency: 10, owner: "o" });
console.log(JSON.stringify({ naive: true, count, finished: r.finished, ms: Math.round(r.ms), ops_per_s: Math.round((count / r.ms) * 1000), cpu_us_per_op: Math.round((r.cpu_ms * 1000) / count) }));
rmSync(dir, { recursive: true, force: true });
