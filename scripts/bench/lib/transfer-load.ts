/**
 * A whole Courier on the localnet: a fresh SQLite store, a generated keypair funded by airdrop,
 * the RPC pool, the Solana executor and the crank, with `count` sol.transfer ops scheduled due
 * at once through scheduleOp (validated like any op). The clock starts when the crank starts
 * and stops when the last attempt is finished; the localnet's request counters are reset at
 * the start, so they count exactly what Courier sent for these ops.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { createCountingStore } from "./counting-store.js";
import { createActionRegistry, createCrank, scheduleOp, systemClock } from "./courier.js";
import type { LocalnetProcess } from "./localnet-process.js";
import {
  createIntentPolicy,
  createRpcPool,
  createSignedOpBody,
  createSignerFromSecretKey,
  createSolanaExecutor,
  generateKeypairFile,
  registerSolanaActions,
  type SolanaExecutorStats,
  withIntentCheck,
} from "./solana.js";
import { createTempStore } from "./temp-store.js";
import { getMonotonicMs } from "./timing.js";
import { createSilentLogger } from "./workspace-deps.js";

const LAMPORTS_PER_SOL = 1_000_000_000;
const RECIPIENTS = 16;

export interface TransferLoadOptions {
  localnet: LocalnetProcess;
  count: number;
  concurrency: number;
  batchSize: number;
  timeoutMs: number;
  /** Sign every op with an owner key and verify it before each attempt (COURIER_INTENT_KEYS on). */
  intents?: boolean;
}

export interface TransferLoadResult {
  ms: number;
  /** CPU time of this process (crank, executor, pool; the localnet runs elsewhere) while the crank ran. */
  cpuMs: number;
  finished: number;
  succeeded: number;
  requests: Record<string, number>;
  /** Transactions that landed on the localnet during the run (airdrops excluded). */
  transactions: number;
  executor: SolanaExecutorStats;
}

export async function runTransferLoad(opts: TransferLoadOptions): Promise<TransferLoadResult> {
  const temp = await createTempStore("e2e");
  const logger = createSilentLogger();
  const signer = await generateKeypairFile(join(temp.dir, "id.json"));
  await opts.localnet.airdrop(signer.publicKey.toBase58(), 10_000 * LAMPORTS_PER_SOL);
  // Funded recipients: a transfer below the rent-exempt minimum to a new account would fail.
  const recipients = Array.from({ length: RECIPIENTS }, () => createSignerFromSecretKey(randomBytes(32)).publicKey.toBase58());
  for (const r of recipients) await opts.localnet.airdrop(r, LAMPORTS_PER_SOL);

  // A localnet is not a public RPC: lift the pool's default 50 req/s token bucket.
  const pool = createRpcPool({ urls: [opts.localnet.url], ratePerSecond: 1_000_000, healthIntervalMs: 0, logger });
  const registry = createActionRegistry();
  const actions = registerSolanaActions(registry);
  const executor = createSolanaExecutor({ pool, store: temp.store, signer, registry: actions, clock: systemClock, logger });
  const owner = createSignerFromSecretKey(randomBytes(32));
  const policy = createIntentPolicy({ keys: opts.intents ? [owner.publicKey.toBase58()] : [] });
  const counting = createCountingStore(temp.store);
  const crank = createCrank({
    store: counting.store,
    executor: withIntentCheck(executor, { policy, store: temp.store, clock: systemClock, logger, instanceId: "bench-e2e" }),
    clock: systemClock,
    logger,
    instanceId: "bench-e2e",
    concurrency: opts.concurrency,
    batchSize: opts.batchSize,
    leaseMs: 60_000,
  });
  let loop: Promise<void> | null = null;
  try {
    for (let i = 0; i < opts.count; i++) {
      // Distinct amounts: identical transfers under one blockhash would be one transaction.
      const body = { action: "sol.transfer", params: { to: recipients[i % RECIPIENTS], lamports: 1_000 + i } };
      const signed = opts.intents ? createSignedOpBody(body, owner, { registry, clock: systemClock }) : body;
      await scheduleOp(temp.store, signed, { registry, clock: systemClock, intents: policy });
    }
    const before = (await opts.localnet.counts()).transactions;
    await opts.localnet.resetCounts();
    const t0 = getMonotonicMs();
    const cpu0 = process.cpuUsage();
    loop = crank.start();
    await counting.reached(opts.count, opts.timeoutMs);
    const ms = getMonotonicMs() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1_000;
    const { requests, transactions } = await opts.localnet.counts();
    const stats = await temp.store.stats({ ticks: 1, now: Date.now() });
    return { ms, cpuMs, finished: counting.finished, succeeded: stats.ops_by_status.succeeded, requests, transactions: transactions - before, executor: executor.stats() };
  } finally {
    await crank.stop();
    await loop;
    executor.stop();
    await pool.close();
    await temp.dispose();
  }
}

export function getTotalRequests(requests: Record<string, number>): number {
  return Object.values(requests).reduce((s, n) => s + n, 0);
}
