/**
 * A real `courier start` process, as a user runs it (`pnpm start`: the compiled CLI under node,
 * with the node flags of apps/courier/src/wiring/node-flags.ts):
 * default config apart from the store, the RPC URL, the keypair and the admin port (0: off). The ops are written to the store before it
 * starts; the parent follows them by reading the same SQLite file (WAL: readers never block the
 * writer) and samples the process's CPU time and peak RSS from /proc.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { COURIER_NODE_FLAGS, COURIER_PROCESS_ENV } from "../../../apps/courier/src/wiring/node-flags.js";
import { readProcessCpuMicros } from "./proc-cpu.js";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export interface CourierProcess {
  child: ChildProcess;
  /** utime + stime of the process in microseconds (null where /proc is missing). */
  cpuMicros(): number | null;
  /** Kernel high-water mark of the process's RSS in bytes. */
  peakRssBytes(): number | null;
  /** The process's RSS now, in bytes. */
  rssBytes(): number | null;
  stop(): Promise<void>;
}

let built = false;

/** The compiled CLI, as `pnpm start` runs it: `tsc -b` once per benchmark run (incremental). */
function ensureBuilt(): void {
  if (built) return;
  const r = spawnSync(process.execPath, [join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "-b", "tsconfig.build.json"], { cwd: REPO_ROOT, encoding: "utf8", timeout: 600_000 });
  if (r.status !== 0) throw new Error(`pnpm build failed: ${(r.stdout + r.stderr).slice(-2000)}`);
  built = true;
}

export interface CourierProcessOptions {
  db: string;
  rpcUrl: string;
  keypair: string;
  env?: Record<string, string>;
  /** node flags such as --cpu-prof (NODE_OPTIONS refuses it). */
  nodeArgs?: string[];
  /**
   * Run the TypeScript sources (tsx loader) instead of the compiled CLI: the smoke run, which
   * checks the harness inside `pnpm test` and must not rebuild dist/ under the suite's feet.
   */
  source?: boolean;
}

export function startCourierProcess(opts: CourierProcessOptions): CourierProcess {
  // node runs the CLI itself; the benchmark's own source condition reaches only a source run.
  const { NODE_OPTIONS: _sourceCondition, ...env } = process.env;
  if (!opts.source) ensureBuilt();
  const cli = opts.source ? ["--conditions=@courier/source", "--import", "tsx", "apps/courier/src/cli.ts"] : ["apps/courier/dist/cli.js"];
  // The node flags `pnpm start` passes (a benchmark's own nodeArgs come after and win).
  const child = spawn(process.execPath, [...COURIER_NODE_FLAGS, ...(opts.nodeArgs ?? []), ...cli, "start", "--no-demo"], {
    cwd: REPO_ROOT,
    env: {
      ...env,
      ...COURIER_PROCESS_ENV,
      COURIER_DB: opts.db,
      COURIER_RPC_URLS: opts.rpcUrl,
      COURIER_KEYPAIR: opts.keypair,
      COURIER_ADMIN_PORT: "0",
      ...opts.env,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const target = (): number | undefined => child.pid;
  return {
    child,
    cpuMicros: () => readProcessCpuMicros(target()),
    peakRssBytes: () => readStatusBytes(target(), "VmHWM"),
    rssBytes: () => readStatusBytes(target(), "VmRSS"),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A memory figure (kB) of /proc/<pid>/status, in bytes. */
function readStatusBytes(pid: number | undefined, field: "VmHWM" | "VmRSS"): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}
