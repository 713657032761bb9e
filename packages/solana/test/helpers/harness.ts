/**
 * A whole Courier on a real localnet for acceptance tests: SQLite store in a temp dir, RPC pool,
 * the Solana executor, the crank. Every part is real; only the sizes are small.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Writable } from "node:stream";
import { type Crank, type CrankOptions, createActionRegistry, createCrank, type Op, type Store, scheduleOp, systemClock } from "@courier/agent";
import { startLocalnet } from "@courier/localnet";
import {
  createRpcPool,
  createSolanaActionRegistry,
  createSolanaExecutor,
  generateKeypairFile,
  type RpcPool,
  type RpcPoolOptions,
  registerSolanaActions,
  type Signer,
  type SolanaExecutor,
  type SolanaExecutorOptions,
} from "@courier/solana";
import { openSqliteStore } from "@courier/sqlite";
import pino, { type Logger } from "pino";
import { waitForTerminalOps } from "@courier/testing";

export type Localnet = Awaited<ReturnType<typeof startLocalnet>>;

export const LAMPORTS_PER_SOL = 1_000_000_000;

/** The IDL files anchor.invoke tests read (as COURIER_IDL_DIR). */
export const FIXTURE_IDL_DIR = fileURLToPath(new URL("../fixtures/idl", import.meta.url));

export interface HarnessOptions {
  slotMs?: number;
  extraPorts?: number;
  fund?: number;
  pool?: Partial<RpcPoolOptions>;
  executor?: Partial<SolanaExecutorOptions>;
  crank?: Partial<CrankOptions>;
  /** Put something between the executor and the real pool (a test's send hook). */
  wrapPool?: (pool: RpcPool) => RpcPool;
  /** Start the crank loop at once (default true). */
  start?: boolean;
  /** COURIER_IDL_DIR for anchor.invoke (default: the test fixtures' idl folder). */
  idlDir?: string;
}

export interface Harness {
  localnet: Localnet;
  store: Store;
  pool: RpcPool;
  signer: Signer;
  keypairPath: string;
  dir: string;
  dbPath: string;
  executor: SolanaExecutor;
  crank: Crank;
  logLines: string[];
  logger: Logger;
  schedule(action: string, params: unknown, extra?: Record<string, unknown>): Promise<Op>;
  waitTerminal(ids: string[], timeoutMs: number): Promise<Op[]>;
  startCrank(): void;
  close(): Promise<void>;
}

export async function createHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), "courier-solana-"));
  const localnet = await startLocalnet({
    port: 0,
    slotMs: opts.slotMs ?? 20,
    websocket: false,
    ...(opts.extraPorts ? { extraPorts: Array.from({ length: opts.extraPorts }, () => 0) } : {}),
  });
  const dbPath = join(dir, "courier.db");
  const store = await openSqliteStore(dbPath);
  const keypairPath = join(dir, "id.json");
  const signer = await generateKeypairFile(keypairPath);
  await localnet.airdrop(signer.publicKey.toBase58(), opts.fund ?? 1_000 * LAMPORTS_PER_SOL);
  const logLines: string[] = [];
  const logger = pino(
    { level: "debug" },
    new Writable({
      write(chunk, _enc, cb) {
        logLines.push(String(chunk));
        cb();
      },
    }),
  );
  const pool = createRpcPool({
    urls: localnet.urls,
    timeoutMs: 1_000,
    sendTimeoutMs: 1_000,
    ratePerSecond: 5_000,
    healthIntervalMs: 0,
    // Fault-injection tests fail ~40 % of requests: a breaker that opens on 5 in a row would
    // flap; outage tests pass their own.
    breaker: { failureThreshold: 25, openMs: 500, maxOpenMs: 2_000, halfOpenProbes: 1 },
    ...opts.pool,
  });
  const registry = createActionRegistry();
  const actions = registerSolanaActions(registry, createSolanaActionRegistry({ idlDir: opts.idlDir ?? FIXTURE_IDL_DIR }));
  const executor = createSolanaExecutor({
    pool: opts.wrapPool ? opts.wrapPool(pool) : pool,
    store,
    signer,
    registry: actions,
    pollMs: 150,
    rebroadcastMs: 1_000,
    clock: systemClock,
    logger,
    ...opts.executor,
  });
  const crank = createCrank({
    store,
    executor,
    clock: systemClock,
    logger,
    instanceId: "test-crank",
    concurrency: 32,
    leaseMs: 10_000,
    maxIdleMs: 50,
    shutdownGraceMs: 1_000,
    ...opts.crank,
  });
  let running: Promise<void> | null = null;
  const startCrank = () => {
    running ??= crank.start();
  };
  if (opts.start !== false) startCrank();

  return {
    localnet,
    store,
    pool,
    signer,
    keypairPath,
    dir,
    dbPath,
    executor,
    crank,
    logLines,
    logger,
    startCrank,
    async schedule(action, params, extra = {}) {
      const { op } = await scheduleOp(store, { action, params, ...extra }, { registry, clock: systemClock });
      crank.wake();
      return op;
    },
    waitTerminal: (ids, timeoutMs) => waitTerminal(store, ids, timeoutMs),
    async close() {
      if (running) {
        await crank.stop();
        await running;
      }
      executor.stop();
      await pool.close();
      await store.close();
      await localnet.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Poll the store until every op is terminal (or the time is up); returns the ops as last seen. */
export function waitTerminal(store: Store, ids: string[], timeoutMs: number): Promise<Op[]> {
  return waitForTerminalOps(store, ids, { timeoutMs });
}
