/** Scratch perf harness for the crank hot path (deleted at the end of the task). */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync, openSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
const { systemClock } = await import((process.env.PERF_BEFORE ? "../packages/agent/.perf-before/packages/agent/src/" : "../packages/agent/src/") + "clock.js");
const { createCrank } = await import((process.env.PERF_BEFORE ? "../packages/agent/.perf-before/packages/agent/src/" : "../packages/agent/src/") + "crank/index.js");
const { openSqliteStore } = await import((process.env.PERF_BEFORE ? "../packages/agent/.perf-before/packages/agent/src/" : "../packages/agent/src/") + "store/index.js");
import { bulkInsertOps } from "./bench/lib/ops.js";
import { openRawDatabase } from "./bench/lib/workspace-deps.js";

// biome-ignore lint: scratch
const pino = createRequire(new URL("../packages/agent/package.json", import.meta.url))("pino") as any;
const argv = process.argv.slice(2);
const opt = (k: string, d: string) => {
  const i = argv.indexOf(`--${k}`);
  return i >= 0 ? (argv[i + 1] as string) : d;
};
const count = Number(opt("count", "20000"));
const concurrency = Number(opt("concurrency", "10"));
const batch = Number(opt("batch", "256"));
const procs = Number(opt("procs", "1"));
const logLevel = opt("log", "silent");
const child = opt("child", "");

function makeLogger() {
  if (logLevel === "silent") return pino({ level: "silent" });
  return pino({ level: logLevel }, pino.destination({ fd: openSync("/dev/null", "w"), sync: false }));
}

const sleeps = new Map<string, number>();
const storeTimes = new Map<string, number[]>();
process.on('exit', () => { if (opt('sleeps','')) console.error([...storeTimes].map(([k,[n,t]]) => `${k} n=${n} total=${Math.round(t)}ms avg=${(t/n).toFixed(3)}`)); });
process.on('exit', () => { if (opt('sleeps','')) console.error([...sleeps].sort((a,b)=>b[1]-a[1]).slice(0,20)); });
async function runCrank(path: string, instance: string, onStarted?: () => void) {
  const inner = await openSqliteStore(path);
  if (process.env.TMEM) (inner as any).db.pragma("temp_store = MEMORY");
  const store = new Proxy(inner, { get(t, prop) { const v = Reflect.get(t, prop, t) as unknown; if (typeof v !== "function") return v; return (...a: unknown[]) => { const s0 = performance.now(); const r = (v as Function).apply(t, a); if (r && typeof r.then === "function") return r.finally(() => { const e = storeTimes.get(String(prop)) ?? [0, 0]; e[0]++; e[1] += performance.now() - s0; storeTimes.set(String(prop), e); }); return r; }; } }) as typeof inner;
  let executed = 0;
  const crank = createCrank({
    store,
    executor: { async execute() { executed++; return { outcome: "ok" }; } },
    clock: { now: () => systemClock.now(), sleep: async (ms: number, sig?: AbortSignal) => { const t = performance.now(); await systemClock.sleep(ms, sig); const k = `${ms}->${Math.round(performance.now() - t)}`; sleeps.set(k, (sleeps.get(k) ?? 0) + 1); } },
    logger: makeLogger(),
    instanceId: instance,
    concurrency,
    batchSize: batch,
    leaseMs: 60_000,
  });
  const loop = crank.start();
  onStarted?.();
  return {
    executed: () => executed,
    async stop() {
      await crank.stop();
      await loop;
      await store.close();
    },
  };
}

if (child) {
  const path = opt("path", "");
  const c = await runCrank(path, child);
  process.on("message", async (m) => {
    if (m === "stop") {
      await c.stop();
      process.send?.({ executed: c.executed(), cpu: process.cpuUsage() });
      process.disconnect?.();
    }
  });
  process.send?.("ready");
} else {
  const dir = mkdtempSync(join(tmpdir(), "perf-crank-"));
  const path = join(dir, "c.db");
  (await openSqliteStore(path)).close();
  const now = Date.now();
  bulkInsertOps(path, count, (i) => now - 1000 + (i % 1000), now);
  const raw = openRawDatabase(path);
  const done = raw.prepare<[], { n: number }>("SELECT n FROM op_counts WHERE status = 'succeeded'");
  let stopAll: () => Promise<number>;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  if (procs === 1) {
    const c = await runCrank(path, "p0");
    stopAll = async () => { await c.stop(); return c.executed(); };
  } else {
    const kids = Array.from({ length: procs }, (_, i) =>
      fork(fileURLToPath(import.meta.url), [...argv, "--child", `p${i}`, "--path", path], { execArgv: ["--import", "tsx"] }),
    );
    await Promise.all(kids.map((k) => new Promise((r) => k.once("message", r))));
    stopAll = async () => {
      const res = await Promise.all(kids.map((k) => new Promise<{ executed: number }>((r) => { k.once("message", (m) => r(m as { executed: number })); k.send("stop"); })));
      return res.reduce((s, r) => s + r.executed, 0);
    };
  }
  // note: multi-proc timer starts before children ready; restart it
  const tStart = procs === 1 ? t0 : performance.now();
  for (;;) {
    if ((done.get()?.n ?? 0) >= count) break;
    if (performance.now() - tStart > 180_000) throw new Error("timeout");
    await new Promise((r) => setTimeout(r, 5));
  }
  const ms = performance.now() - tStart;
  const cpu = process.cpuUsage(c0);
  const executed = await stopAll();
  const attempts = raw.prepare<[], { n: number }>("SELECT count(*) AS n FROM attempts").get()?.n;
  raw.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(JSON.stringify({ count, concurrency, batch, procs, log: logLevel, ms: Math.round(ms), ops_per_s: Math.round((count / ms) * 1000), executed, attempts, cpu_us_per_op_parent: procs === 1 ? Math.round((cpu.user + cpu.system) / count) : undefined }));
}
