/** Scratch: claim loop only, for perf record. Deleted at the end. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "../packages/agent/src/store/index.js";
import { bulkInsertOps } from "./bench/lib/ops.js";
const dir = mkdtempSync(join(tmpdir(), "perf-micro-"));
const path = join(dir, "c.db");
const store = await openSqliteStore(path);
if (process.env.TMEM) (store as any).db.pragma("temp_store = MEMORY");
const now0 = Date.now();
bulkInsertOps(path, 40000, (i) => now0 - 1000 + (i % 1000), now0);
const c0 = process.cpuUsage();
for (let i = 0; i < 4000; i++) await store.claimDue({ now: Date.now(), limit: 10, owner: "o", lease_ms: 60000 });
const c = process.cpuUsage(c0);
console.log("claim10 us", (c.user + c.system) / 4000);
await store.close();
rmSync(dir, { recursive: true, force: true });
