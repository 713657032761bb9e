import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { openPostgresStore } from "@courier/postgres";
import { dropSchemas, seedDueOps } from "@courier/testing";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "../../..");
/** The claim worker the PostgreSQL claim tests also run. */
const CLAIM_WORKER = join(repoRoot, "packages/postgres/test/fixtures/claim-worker.ts");

export interface PostgresClaimThroughputArgs {
  /** A database the benchmark may create (and drops afterwards) a schema in. */
  url: string;
  /** Due ops to claim and finish. */
  ops: number;
  /** Claiming OS processes, each its own instance (e.g. 1 and 3). */
  processes: number;
  /** Ops per claim (default 256, the crank's batch size). */
  batch?: number;
}

export interface PostgresClaimThroughputResult {
  ops: number;
  processes: number;
  batch: number;
  /** Wall time from the first worker starting to claim to the last one finding nothing due. */
  elapsed_ms: number;
  ops_per_sec: number;
  /** Ops claimed by each process (they compete; the split shows how evenly). */
  per_process: number[];
}

/**
 * Claim throughput of the PostgreSQL store: `ops` due ops, claimed in batches and finished
 * (claimDue + finishAttempt per op, the crank's store traffic) by `processes` child processes
 * started together. Runs in a fresh schema, dropped afterwards. Throws if any op was not claimed
 * exactly once.
 */
export async function measurePostgresClaimThroughput(args: PostgresClaimThroughputArgs): Promise<PostgresClaimThroughputResult> {
  const batch = args.batch ?? 256;
  const schema = `bench_${process.pid}_${Date.now().toString(36)}`;
  const now = Date.now();
  const store = await openPostgresStore(args.url, { schema, poolSize: 4 });
  try {
    await seedDueOps(args.url, schema, args.ops, now);
    const owners = Array.from({ length: args.processes }, (_, i) => `bench-p${i + 1}`);
    const outputs = await Promise.all(
      owners.map((owner) =>
        run(
          process.execPath,
          ["--import", "tsx", CLAIM_WORKER, args.url, schema, owner, String(owners.length), String(now), String(batch), "count"],
          { cwd: repoRoot, timeout: 600_000, maxBuffer: 16 * 1024 * 1024 },
        ),
      ),
    );
    const reports = outputs.map((o) => JSON.parse(o.stdout.trim().split("\n").pop() as string) as { won: number; started_at: number; ended_at: number });
    const claimed = reports.reduce((n, r) => n + r.won, 0);
    const stats = await store.stats({ ticks: 0, now });
    if (claimed !== args.ops || stats.ops_by_status.succeeded !== args.ops) {
      throw new Error(`claim benchmark lost or duplicated ops: claimed ${claimed}, succeeded ${stats.ops_by_status.succeeded}, expected ${args.ops}`);
    }
    const elapsed_ms = Math.max(1, Math.max(...reports.map((r) => r.ended_at)) - Math.min(...reports.map((r) => r.started_at)));
    return {
      ops: args.ops,
      processes: args.processes,
      batch,
      elapsed_ms,
      ops_per_sec: Math.round((args.ops / elapsed_ms) * 1000),
      per_process: reports.map((r) => r.won),
    };
  } finally {
    await store.close();
    await dropSchemas(args.url, [schema]);
  }
}
