/**
 * One measured run of a real `courier start` process with its default config: a fresh SQLite
 * store holding `count` sol.transfer ops (due at once, or one every `spacingMs`), a generated
 * keypair funded on the localnet, and the process started once the ops are written. The run
 * ends when every op is terminal; its figures come from the store (attempts, ledger), the
 * localnet (requests, 429s) and /proc (CPU time, peak RSS of the Courier process).
 */
import { join } from "node:path";
import { startCourierProcess } from "./courier-process.js";
import { createActionRegistry, scheduleOp, systemClock } from "./courier.js";
import { generateKeypairFile, registerSolanaActions } from "./solana.js";
import { getPercentile } from "./percentiles.js";
import { readMachineCpuMicros } from "./proc-cpu.js";
import { createTempStore, type TempStore } from "./temp-store.js";
import { web3 } from "./web3.js";
import { openRawDatabase } from "./workspace-deps.js";

export interface DefaultRunOptions {
  url: string;
  airdrop(pubkey: string, lamports: number): Promise<void>;
  count: number;
  /** 0: all due at once; otherwise op i is due i × spacingMs after the first. */
  spacingMs?: number;
  timeoutMs: number;
  env?: Record<string, string>;
  /** Flags for the node process running Courier (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  /** See CourierProcessOptions.source. */
  source?: boolean;
  /** The endpoint's process CPU time (LocalnetProcess.cpuMicros), when it runs on this machine. */
  endpointCpuMicros?: () => number | null;
}

interface CpuSample {
  at: number;
  micros: number | null;
  endpoint: number | null;
  machine: { busy: number; total: number } | null;
}

export interface DefaultRunResult {
  /** Confirmed ops per second, first claim → last finished attempt. */
  opsPerSec: number;
  ms: number;
  succeeded: number;
  dead: number;
  /** Attempts that consumed an op's retry budget (outcome retryable or permanent). */
  spentAttempts: number;
  /** Ledger entries beyond the first of a run (re-signs). */
  resigns: number;
  /** Signing (the ledger entry written) → verdict (the attempt finished) of each succeeded op: median and p99 ms. */
  signToVerdictMs: { p50: number; p99: number };
  /** CPU time of the Courier process from (the last 50 ms sample before) its first claim to the end, per op. */
  cpuMicrosPerOp: number | null;
  /** The same for the endpoint's process (null without endpointCpuMicros). */
  endpointCpuMicrosPerOp: number | null;
  /** Share of the machine's CPU time (all cores) that was busy over the same window. */
  machineBusyShare: number | null;
  peakRssBytes: number | null;
}

/**
 * A funded keypair at `keypair` and `count` sol.transfer ops in the store, to fresh recipients,
 * the first due in 1 s and op i `spacingMs` × i after it.
 */
export async function seedTransfers(temp: TempStore, keypair: string, airdrop: DefaultRunOptions["airdrop"], count: number, spacingMs: number): Promise<void> {
  const signer = await generateKeypairFile(keypair);
  await airdrop(signer.publicKey.toBase58(), Math.max(1_000, count * 10) * 1_000_000_000);
  const registry = createActionRegistry();
  registerSolanaActions(registry);
  const start = Date.now() + 1_000;
  for (let i = 0; i < count; i++) {
    const params = { to: web3.Keypair.generate().publicKey.toBase58(), lamports: 1_000_000 + i };
    await scheduleOp(temp.store, { action: "sol.transfer", params, run_at: start + i * spacingMs }, { registry, clock: systemClock });
  }
}

export async function runDefaultCourier(opts: DefaultRunOptions): Promise<DefaultRunResult> {
  const temp = await createTempStore("default");
  const keypair = join(temp.dir, "id.json");
  try {
    await seedTransfers(temp, keypair, opts.airdrop, opts.count, opts.spacingMs ?? 0);
    const db = openRawDatabase(temp.path);
    const courier = startCourierProcess({ db: temp.path, rpcUrl: opts.url, keypair, env: opts.env, nodeArgs: opts.nodeArgs, source: opts.source });
    try {
      const deadline = Date.now() + opts.timeoutMs;
      // The process's CPU time every 50 ms; the run's share is read from the last sample before
      // its first claim (attempt rows are written when an attempt ends, so their count says
      // nothing about when claiming began).
      const cpuSamples: Array<CpuSample> = [];
      const sample = (): CpuSample => ({ at: Date.now(), micros: courier.cpuMicros(), endpoint: opts.endpointCpuMicros?.() ?? null, machine: readMachineCpuMicros() });
      for (;;) {
        cpuSamples.push(sample());
        const open = db.prepare("SELECT count(*) AS n FROM ops WHERE status IN ('pending', 'running')").get() as { n: number };
        if (open.n === 0) break;
        if (Date.now() > deadline) throw new Error(`courier start: ${open.n} of ${opts.count} ops still open after ${opts.timeoutMs} ms`);
        if (courier.child.exitCode !== null) throw new Error(`courier start exited with ${courier.child.exitCode}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const end = sample();
      const peak = courier.peakRssBytes();
      const span = db.prepare("SELECT min(started_at) AS first, max(ended_at) AS last FROM attempts").get() as { first: number; last: number };
      const byStatus = db.prepare("SELECT status, count(*) AS n FROM ops GROUP BY status").all() as Array<{ status: string; n: number }>;
      const count = (s: string) => byStatus.find((r) => r.status === s)?.n ?? 0;
      const spent = db.prepare("SELECT count(*) AS n FROM attempts WHERE outcome IN ('retryable', 'permanent')").get() as { n: number };
      const resigns = db.prepare("SELECT count(*) AS n FROM ledger WHERE seq > 0").get() as { n: number };
      const verdictLags = (
        db
          .prepare(
            "SELECT a.ended_at - l.created_at AS lag FROM attempts a JOIN ledger l ON l.op_id = a.op_id AND l.run = a.run AND l.seq = 0 WHERE a.outcome = 'ok'",
          )
          .all() as Array<{ lag: number }>
      ).map((r) => r.lag);
      const ms = Math.max(1, span.last - span.first);
      const atFirstClaim = cpuSamples.filter((c) => c.at <= span.first).at(-1) ?? null;
      const perOp = (a: number | null | undefined, b: number | null) => (a != null && b !== null ? (b - a) / opts.count : null);
      const machineA = atFirstClaim?.machine ?? null;
      const machineB = end.machine;
      return {
        opsPerSec: (count("succeeded") / ms) * 1_000,
        ms,
        succeeded: count("succeeded"),
        dead: count("dead"),
        spentAttempts: spent.n,
        resigns: resigns.n,
        signToVerdictMs: { p50: getPercentile(verdictLags, 50), p99: getPercentile(verdictLags, 99) },
        cpuMicrosPerOp: perOp(atFirstClaim?.micros, end.micros),
        endpointCpuMicrosPerOp: perOp(atFirstClaim?.endpoint, end.endpoint),
        machineBusyShare: machineA && machineB && machineB.total > machineA.total ? (machineB.busy - machineA.busy) / (machineB.total - machineA.total) : null,
        peakRssBytes: peak,
      };
    } finally {
      await courier.stop();
      db.close();
    }
  } finally {
    await temp.dispose();
  }
}
