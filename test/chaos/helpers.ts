/**
 * Chaos helpers: a world (localnet + funded keypair + SQLite store in a temp dir), real
 * `courier start` processes (spawned with deadlines, SIGKILLed at will), transfers scheduled
 * through the store, and the exactly-once check every scenario ends with.
 *
 * Every wait has a deadline; every spawned process is tracked and killed by killAllChildren().
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ActionRegistry, type AttemptRecord, createActionRegistry, type Op, scheduleOp, systemClock } from "@courier/agent";
import { type Localnet, startLocalnet } from "@courier/localnet";
import { createSignerFromSecretKey, generateKeypairFile, registerSolanaActions } from "@courier/solana";
import { REPO_ROOT, getCleanEnv, getCliArgv, waitForTerminalOps, waitFor as waitForValue } from "@courier/testing";
import { openSqliteStore, type SqliteStore } from "@courier/sqlite";

export const LAMPORTS_PER_SOL = 1_000_000_000;

export interface ChaosWorld {
  dir: string;
  dbPath: string;
  keypairPath: string;
  signer: string;
  localnet: Localnet;
  /** The test's own connection to the store the crank processes share. */
  store: SqliteStore;
  registry: ActionRegistry;
  close(): Promise<void>;
}

export async function createChaosWorld(opts: { slotMs?: number; seed?: number } = {}): Promise<ChaosWorld> {
  const dir = await mkdtemp(join(tmpdir(), "courier-chaos-"));
  const localnet = await startLocalnet({ port: 0, slotMs: opts.slotMs ?? 25, websocket: false, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) });
  const keypairPath = join(dir, "signer.json");
  const signer = await generateKeypairFile(keypairPath);
  localnet.airdrop(signer.publicKey.toBase58(), 1_000 * LAMPORTS_PER_SOL);
  const dbPath = join(dir, "courier.db");
  const store = await openSqliteStore(dbPath);
  const registry = createActionRegistry();
  registerSolanaActions(registry);
  return {
    dir,
    dbPath,
    keypairPath,
    signer: signer.publicKey.toBase58(),
    localnet,
    store,
    registry,
    async close() {
      killAllChildren();
      await store.close().catch(() => undefined);
      await localnet.stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// processes

export interface ChildHandle {
  name: string;
  child: ChildProcess;
  /** Resolves once the process printed its ready line; rejects if it exits first or times out. */
  ready: Promise<void>;
  /** Exit code, or the signal name. */
  exited: Promise<number | string>;
  alive(): boolean;
  /** SIGKILL; resolves when the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM; resolves with the exit code, SIGKILLs and rejects after `timeoutMs`. */
  term(timeoutMs?: number): Promise<number | string>;
  /** The tail of stdout + stderr (bounded). */
  output(): string;
}

const children = new Set<ChildProcess>();
const OUTPUT_LIMIT = 200_000;

/** Spawn `node <argv>` in the repo root with a clean COURIER_* environment. */
export function spawnChild(opts: { name: string; argv: string[]; env: Record<string, string>; readyPattern: RegExp; readyTimeoutMs?: number }): ChildHandle {
  const child = spawn(process.execPath, opts.argv, { cwd: REPO_ROOT, env: getCleanEnv(opts.env), stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let out = "";
  let readyMatched = false;
  let onReady: (() => void) | null = null;
  const append = (s: string) => {
    out += s;
    if (out.length > OUTPUT_LIMIT) out = out.slice(-OUTPUT_LIMIT / 2);
    if (!readyMatched && opts.readyPattern.test(out)) {
      readyMatched = true;
      onReady?.();
    }
  };
  child.stdout?.setEncoding("utf8").on("data", append);
  child.stderr?.setEncoding("utf8").on("data", append);
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => {
      children.delete(child);
      resolve(code ?? signal ?? -1);
    });
  });
  const timeoutMs = opts.readyTimeoutMs ?? 90_000;
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${opts.name}: not ready within ${timeoutMs} ms; output: ${out.slice(-1500)}`)), timeoutMs);
    onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    if (readyMatched) onReady();
    void exited.then((code) => {
      clearTimeout(timer);
      if (!readyMatched) reject(new Error(`${opts.name}: exited (${code}) before ready; output: ${out.slice(-1500)}`));
    });
  });
  // A child killed while loading rejects `ready`; callers that do not wait for it must not crash.
  ready.catch(() => undefined);
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    name: opts.name,
    child,
    ready,
    exited,
    alive,
    async kill9() {
      if (!alive()) return;
      child.kill("SIGKILL");
      await exited;
    },
    async term(ms = 30_000) {
      if (!alive()) return exited;
      child.kill("SIGTERM");
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          child.kill("SIGKILL");
          reject(new Error(`${opts.name}: no exit within ${ms} ms of SIGTERM; output: ${out.slice(-1500)}`));
        }, ms);
      });
      try {
        return await Promise.race([exited, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    output: () => out,
  };
}

export interface CourierOptions {
  instanceId: string;
  /** Default: the world's localnet. */
  rpcUrls?: string[];
  leaseMs?: number;
  /** 0 (default) disables the admin service. */
  adminPort?: number;
  logLevel?: string;
  env?: Record<string, string>;
}

/** `courier start --no-demo` as a real process on the world's store and signer. */
export function spawnCourier(world: ChaosWorld, opts: CourierOptions): ChildHandle {
  return spawnChild({
    name: opts.instanceId,
    argv: getCliArgv(["start", "--no-demo"]),
    env: {
      COURIER_DB: world.dbPath,
      COURIER_RPC_URLS: (opts.rpcUrls ?? [world.localnet.url]).join(","),
      COURIER_KEYPAIR: world.keypairPath,
      COURIER_ADMIN_PORT: String(opts.adminPort ?? 0),
      COURIER_INSTANCE_ID: opts.instanceId,
      COURIER_LEASE_MS: String(opts.leaseMs ?? 1_500),
      COURIER_SHUTDOWN_GRACE_MS: "2000",
      COURIER_LOG_LEVEL: opts.logLevel ?? "warn",
      ...opts.env,
    },
    readyPattern: /^courier ready:/m,
  });
}

/** For afterEach / the end of a soak round: SIGKILL whatever is still running. */
export function killAllChildren(): void {
  for (const c of children) c.kill("SIGKILL");
  children.clear();
}

// ---------------------------------------------------------------------------------------------
// ops

export interface Transfer {
  id: string;
  to: string;
  lamports: number;
}

export function getRandomAddress(): string {
  return createSignerFromSecretKey(randomBytes(32)).publicKey.toBase58();
}

/** Schedule `n` sol.transfer ops to fresh recipients, each with a distinct amount. */
export async function scheduleTransfers(world: ChaosWorld, n: number, extra: Record<string, unknown> = {}, base = 1_000_000): Promise<Transfer[]> {
  const out: Transfer[] = [];
  for (let i = 0; i < n; i++) {
    const to = getRandomAddress();
    const lamports = base + i * 7 + Math.floor(Math.random() * 5);
    const { op } = await scheduleOp(world.store, { action: "sol.transfer", params: { to, lamports }, max_attempts: 10, ...extra }, { registry: world.registry, clock: systemClock });
    out.push({ id: op.id, to, lamports });
  }
  return out;
}

/** Poll until every op is terminal or the deadline passes; returns the ops as last read. */
export function waitTerminal(world: ChaosWorld, ids: string[], timeoutMs: number): Promise<Op[]> {
  return waitForTerminalOps(world.store, ids, { timeoutMs, intervalMs: 200 });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Poll `fn` until it returns a value other than undefined; throws after `timeoutMs`. */
export function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  return waitForValue(what, fn, { timeoutMs, intervalMs });
}

// ---------------------------------------------------------------------------------------------
// the invariant

export interface ExactlyOnceOptions {
  /**
   * Outcomes no attempt may have had. Scenarios whose faults are all infrastructure (outage,
   * locked store, killed processes) forbid "retryable" and "permanent": nothing may have burnt
   * an op's retry budget. A fault mix with 429/5xx allows "retryable" (the spec classes those
   * as the op's transient failures), still within max_attempts.
   */
  forbiddenOutcomes?: Array<AttemptRecord["outcome"]>;
}

export interface ExactlyOnceReport {
  violations: string[];
  /** Attempt rows by outcome, over every checked op. */
  outcomes: Record<string, number>;
}

/**
 * On chain and in the store: every transfer succeeded exactly once (recipient balance exact,
 * exactly one of its ledger signatures landed), no op lost or left running, and no attempt with
 * a forbidden outcome.
 */
export async function checkExactlyOnce(world: ChaosWorld, transfers: Transfer[], opts: ExactlyOnceOptions = {}): Promise<ExactlyOnceReport> {
  const violations: string[] = [];
  const outcomes: Record<string, number> = {};
  const forbidden = new Set(opts.forbiddenOutcomes ?? ["retryable", "permanent"]);
  for (const t of transfers) {
    const op = await world.store.getOp(t.id);
    if (!op) {
      violations.push(`${t.id}: lost (not in the store)`);
      continue;
    }
    if (op.status !== "succeeded") violations.push(`${t.id}: status ${op.status} (${op.last_error ?? "no error"})`);
    if (op.exec_count !== 1) violations.push(`${t.id}: exec_count ${op.exec_count}`);
    if (op.attempts > op.max_attempts) violations.push(`${t.id}: ${op.attempts} attempts > max ${op.max_attempts}`);
    const balance = world.localnet.getBalance(t.to);
    if (balance !== BigInt(t.lamports)) violations.push(`${t.id}: recipient balance ${balance} != ${t.lamports}`);
    const landed = (await world.store.getOpLedger(t.id)).filter((e) => world.localnet.hasTransaction(e.signature));
    if (landed.length !== 1) violations.push(`${t.id}: ${landed.length} of its signed transactions landed`);
    for (const a of await world.store.getAttempts(t.id)) {
      outcomes[a.outcome] = (outcomes[a.outcome] ?? 0) + 1;
      if (forbidden.has(a.outcome)) violations.push(`${t.id}: attempt ${a.run}.${a.attempt} ended ${a.outcome} (${a.error_code}: ${a.error})`);
    }
  }
  const running = await world.store.listOps({ status: "running", limit: 100 });
  for (const op of running.ops) violations.push(`${op.id}: left running (lease ${op.lease_owner})`);
  return { violations, outcomes };
}

export interface ScenarioReport {
  name: string;
  seed: number;
  ops: number;
  duration_ms: number;
  violations: string[];
  details: Record<string, unknown>;
}

/** One line for the soak log. */
export function formatReport(r: ScenarioReport): string {
  const verdict = r.violations.length === 0 ? "ok" : `FAIL (${r.violations.length} violations: ${r.violations.slice(0, 3).join("; ")})`;
  return `${r.name} seed=${r.seed} ops=${r.ops} ${(r.duration_ms / 1000).toFixed(1)}s ${JSON.stringify(r.details)} ${verdict}`;
}
