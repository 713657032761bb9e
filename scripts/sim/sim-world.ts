/**
 * Everything one simulation run shares: a run directory (store, logs, keypair), the SQLite
 * store the crank(s) work from, the action registry, the cluster, and the ops it planned.
 * Ops are scheduled through the same validation as the admin API (scheduleOp).
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ActionRegistry,
  createActionRegistry,
  createFileLogger,
  createSignerFromSecretKey,
  type Logger,
  type Op,
  openSqliteStore,
  type ScheduleInputBody,
  type SqliteStore,
  scheduleOp,
  systemClock,
  registerSolanaActions,
  TERMINAL_STATUSES,
} from "./workspace.js";
import { connectRemoteCluster, type SimCluster, startEmbeddedCluster } from "./sim-cluster.js";

/** One scheduled sol.transfer op and what the chain should show for it. */
export interface PlannedTransfer {
  id: string;
  to: string;
  lamports: number;
  /** Runs that must succeed (1 for a one-off, max_exec for a recurring op). */
  runs: number;
  /** The op as scheduled (its schedule and first due time give each run's due time). */
  op: Op;
}

export interface SimWorld {
  dir: string;
  dbPath: string;
  store: SqliteStore;
  registry: ActionRegistry;
  cluster: SimCluster;
  /** pino logger of in-process cranks, writing to <dir>/sim.log. */
  logger: Logger;
  planned: PlannedTransfer[];
  /** Schedule a sol.transfer to a fresh address. */
  scheduleTransfer(args: { lamports: number; runs?: number; schedule: Omit<ScheduleInputBody, "action" | "params"> }): Promise<PlannedTransfer>;
  progress(line: string): void;
  close(opts: { keepDir: boolean }): Promise<void>;
}

export interface CreateWorldOptions {
  rpc: string | null;
  keypair: string | null;
  slotMs: number;
  profile?: "devnet" | null;
  progress: (line: string) => void;
}

export async function createSimWorld(opts: CreateWorldOptions): Promise<SimWorld> {
  const dir = await mkdtemp(join(tmpdir(), "courier-sim-"));
  const undo: Array<() => Promise<void>> = [() => rm(dir, { recursive: true, force: true })];
  try {
    const cluster = opts.rpc ? await connectRemoteCluster({ url: opts.rpc, keypairPath: opts.keypair as string }) : await startEmbeddedCluster({ dir, slotMs: opts.slotMs, profile: opts.profile ?? null });
    undo.unshift(() => cluster.close());
    const dbPath = join(dir, "courier.db");
    const store = await openSqliteStore(dbPath);
    undo.unshift(() => store.close());
    const registry = createActionRegistry();
    registerSolanaActions(registry);
    const logger = createFileLogger(join(dir, "sim.log"), "info");
    const planned: PlannedTransfer[] = [];
    return {
      dir,
      dbPath,
      store,
      registry,
      cluster,
      logger,
      planned,
      async scheduleTransfer(args) {
        const to = createSignerFromSecretKey(randomBytes(32)).publicKey.toBase58();
        const body = { action: "sol.transfer", params: { to, lamports: args.lamports }, max_attempts: 10, ...args.schedule };
        const { op } = await scheduleOp(store, body, { registry, clock: systemClock });
        const plan: PlannedTransfer = { id: op.id, to, lamports: args.lamports, runs: args.runs ?? 1, op };
        planned.push(plan);
        return plan;
      },
      progress: opts.progress,
      async close({ keepDir }) {
        for (const step of keepDir ? undo.slice(0, -1) : undo) await step().catch(() => undefined);
      },
    };
  } catch (e) {
    for (const step of undo) await step().catch(() => undefined);
    throw e;
  }
}

/**
 * Poll the store until every planned op is terminal, or the time is up. Reports the runs done
 * when the count moves (at most every 2 s) and every 30 s; returns how many ops were still open.
 */
export async function waitForPlanned(world: SimWorld, timeoutMs: number, label: string): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const totalRuns = world.planned.reduce((s, p) => s + p.runs, 0);
  let open = [...world.planned];
  let runsOfClosed = 0;
  let lastReport = Date.now();
  let lastDone = 0;
  while (open.length > 0 && Date.now() < deadline) {
    const next: PlannedTransfer[] = [];
    let runsOfOpen = 0;
    for (const plan of open) {
      const op = await world.store.getOp(plan.id);
      const done = Math.min(op?.exec_count ?? 0, plan.runs);
      if (op && TERMINAL_STATUSES.includes(op.status)) {
        runsOfClosed += done;
      } else {
        next.push(plan);
        runsOfOpen += done;
      }
    }
    open = next;
    if (open.length === 0) break;
    const done = runsOfClosed + runsOfOpen;
    const quiet = Date.now() - lastReport;
    if ((done !== lastDone && quiet > 2_000) || quiet > 30_000) {
      world.progress(`${label}: ${done}/${totalRuns} runs done`);
      lastReport = Date.now();
      lastDone = done;
    }
    await sleep(100);
  }
  return open.length;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Sleep until an absolute epoch-ms time (returns at once when it has passed). */
export function sleepUntil(at: number): Promise<void> {
  return sleep(Math.max(0, at - Date.now()));
}
