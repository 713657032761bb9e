/**
 * A real `courier start` process, as a user runs it: default config apart from the store, the
 * RPC URL, the keypair and the admin port (0: off). The ops are written to the store before it
 * starts; the parent follows them by reading the same SQLite file (WAL: readers never block the
 * writer) and samples the process's CPU time and peak RSS from /proc.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

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

export function startCourierProcess(opts: { db: string; rpcUrl: string; keypair: string; env?: Record<string, string>; nodeArgs?: string[] }): CourierProcess {
  // With node flags (e.g. --cpu-prof, which NODE_OPTIONS refuses) node runs the CLI itself.
  const [command, args] = opts.nodeArgs
    ? [process.execPath, [...opts.nodeArgs, "--conditions=@courier/source", "--import", "tsx", "apps/courier/src/cli.ts", "start", "--no-demo"]]
    : [join(REPO_ROOT, "node_modules/.bin/tsx"), ["apps/courier/src/cli.ts", "start", "--no-demo"]];
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      COURIER_DB: opts.db,
      COURIER_RPC_URLS: opts.rpcUrl,
      COURIER_KEYPAIR: opts.keypair,
      COURIER_ADMIN_PORT: "0",
      ...opts.env,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const ticks = 100; // USER_HZ on Linux
  // tsx starts node as a child of its own: the figures are that node process's.
  const target = (): number | undefined => {
    try {
      const kids = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
      return kids.length > 0 ? Number(kids[0]) : child.pid;
    } catch {
      return child.pid;
    }
  };
  return {
    child,
    cpuMicros() {
      try {
        const stat = readFileSync(`/proc/${target()}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / ticks;
      } catch {
        return null;
      }
    },
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
