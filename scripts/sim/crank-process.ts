/**
 * A real `courier start --no-demo` process on the world's store, cluster and signer (the crash
 * and multi scenarios). Its stdout (pino JSON) and stderr go to <run dir>/<instance>.log; it is
 * ready when it prints "courier ready:". Every wait has a deadline; every spawned process is
 * tracked so a failing run can kill what it started.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { SimWorld } from "./sim-world.js";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const CLI_PATH = join(REPO_ROOT, "apps/courier/src/cli.ts");
// tsx's loader by absolute URL: the child runs in the run directory, not the repo root.
const TSX_LOADER = pathToFileURL(join(REPO_ROOT, "node_modules/tsx/dist/loader.mjs")).href;
const WARM_PRELOAD = pathToFileURL(join(REPO_ROOT, "scripts/sim/warm-start-preload.mjs")).href;
const READY_TIMEOUT_MS = 120_000;
/** From "go" to ready for a warm process: its modules are loaded already. */
const READY_AFTER_GO_TIMEOUT_MS = 60_000;

export interface CrankProcess {
  name: string;
  pid: number;
  /** Resolves when the process is ready; rejects when it exits first or takes too long. */
  ready: Promise<void>;
  /** Resolves when a warm process has loaded its modules (at once for one that is not warm). */
  loaded: Promise<void>;
  /** Lets a warm process start (no-op otherwise); `ready` follows shortly. */
  go(): void;
  /** Exit code, or the name of the signal that ended it. */
  exited: Promise<number | string>;
  alive(): boolean;
  /** SIGKILL; resolves once the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM; resolves with the exit code, or SIGKILLs and resolves "timeout" after `timeoutMs`. */
  term(timeoutMs?: number): Promise<number | string>;
  /** The last lines of stderr (for error messages). */
  stderrTail(): string;
}

const started = new Set<ChildProcess>();

export interface CrankProcessOptions {
  instanceId: string;
  leaseMs: number;
  /** Default: the world's cluster. */
  rpcUrl?: string;
  /**
   * Load the modules now but start only on go(): a replacement spawned ahead of a crash takes
   * its start-up (seconds, more on a loaded machine) while the process it replaces still works.
   */
  warm?: boolean;
}

export function spawnCrankProcess(world: SimWorld, opts: CrankProcessOptions): CrankProcess {
  const env: NodeJS.ProcessEnv = {};
  // A developer's own COURIER_* settings must not leak into the simulated crank.
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("COURIER_")) env[k] = v;
  Object.assign(env, {
    COURIER_DB: world.dbPath,
    COURIER_RPC_URLS: opts.rpcUrl ?? world.cluster.url,
    COURIER_KEYPAIR: world.cluster.keypairPath,
    COURIER_ADMIN_PORT: "0",
    COURIER_INSTANCE_ID: opts.instanceId,
    COURIER_LEASE_MS: String(opts.leaseMs),
    COURIER_LOG_LEVEL: "info",
  });
  const log = createWriteStream(join(world.dir, `${opts.instanceId}.log`), { flags: "a" });
  const warm = opts.warm === true;
  const preload = warm ? ["--import", WARM_PRELOAD] : [];
  const child = spawn(process.execPath, ["--import", TSX_LOADER, ...preload, CLI_PATH, "start", "--no-demo"], {
    cwd: world.dir,
    env,
    stdio: [warm ? "pipe" : "ignore", "pipe", "pipe"],
  });
  started.add(child);
  child.stdout?.pipe(log, { end: false });
  let stderr = "";
  let onStderr: (() => void) | null = null;
  let onLoaded: (() => void) | null = null;
  child.stderr?.setEncoding("utf8").on("data", (s: string) => {
    log.write(s);
    stderr = (stderr + s).slice(-20_000);
    onLoaded?.();
    onStderr?.();
  });
  const exited = new Promise<number | string>((resolveExit) => {
    child.once("exit", (code, signal) => {
      started.delete(child);
      resolveExit(code ?? signal ?? -1);
    });
  });
  void exited.then(() => log.end());
  const loaded = !warm
    ? Promise.resolve()
    : new Promise<void>((resolveLoaded, reject) => {
        const timer = setTimeout(() => reject(new Error(`${opts.instanceId}: not loaded within ${READY_TIMEOUT_MS / 1000} s: ${tail(stderr)}`)), READY_TIMEOUT_MS);
        onLoaded = () => {
          if (/^courier loaded$/m.test(stderr)) {
            clearTimeout(timer);
            onLoaded = null;
            resolveLoaded();
          }
        };
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`${opts.instanceId}: exited (${code}) before it had loaded: ${tail(stderr)}`));
        });
      });
  loaded.catch(() => undefined);
  let resolveGo: () => void = () => {};
  const goSignal = warm ? new Promise<void>((r) => (resolveGo = r)) : Promise.resolve();
  const ready = new Promise<void>((resolveReady, reject) => {
    let timer: NodeJS.Timeout | undefined;
    // A warm process's bound starts at go(): before that it is kept waiting on purpose.
    const readyTimeoutMs = warm ? READY_AFTER_GO_TIMEOUT_MS : READY_TIMEOUT_MS;
    void goSignal.then(() => {
      if (child.exitCode !== null || child.signalCode !== null) return; // rejected on exit already
      timer = setTimeout(() => reject(new Error(`${opts.instanceId}: not ready within ${readyTimeoutMs / 1000} s: ${tail(stderr)}`)), readyTimeoutMs);
    });
    onStderr = () => {
      if (/^courier ready:/m.test(stderr)) {
        clearTimeout(timer);
        onStderr = null;
        resolveReady();
      }
    };
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${opts.instanceId}: exited (${code}) before it was ready: ${tail(stderr)}`));
    });
  });
  // A process killed while loading rejects `ready`; callers that stopped caring must not crash.
  ready.catch(() => undefined);
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    name: opts.instanceId,
    pid: child.pid ?? -1,
    ready,
    loaded,
    go() {
      if (!warm) return;
      child.stdin?.end("go\n");
      resolveGo();
    },
    exited,
    alive,
    async kill9() {
      if (alive()) child.kill("SIGKILL");
      await exited;
    },
    async term(timeoutMs = 30_000) {
      if (!alive()) return exited;
      child.kill("SIGTERM");
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<string>((r) => {
        timer = setTimeout(() => {
          child.kill("SIGKILL");
          r("timeout");
        }, timeoutMs);
      });
      try {
        return await Promise.race([exited, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    stderrTail: () => tail(stderr),
  };
}

/** SIGKILL every crank process this module started that is still running (error paths). */
export function killStartedCrankProcesses(): void {
  for (const child of started) child.kill("SIGKILL");
  started.clear();
}

function tail(s: string): string {
  return s.trim().split("\n").slice(-5).join(" | ").slice(-1_500);
}
