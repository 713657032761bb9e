/**
 * 8. Retention under load: claim latency while the pruner deletes 1M old rows. The store holds
 * 200k terminal ops older than the retention window, each with two attempts, a ledger entry and
 * an audit row (1M rows), written straight into the file (setup speed only), plus due ops to
 * claim. This process claims batches of 16 through the store; a second process runs the
 * production pruner (createRetention, default pauses) on its own connection, so every prune
 * statement competes for SQLite's write lock as a second crank process's would.
 * Baseline in the same run: the same claims with the pruner process idle.
 */
import { statSync } from "node:fs";
import { type BenchChild, forkWorker } from "../lib/child.js";
import { bulkInsertOps } from "../lib/ops.js";
import { getDistribution } from "../lib/percentiles.js";
import type { Benchmark } from "../lib/result.js";
import { round } from "../lib/result.js";
import { createTempStore, type TempStore } from "../lib/temp-store.js";
import { getMonotonicMs, measure, sleepMs } from "../lib/timing.js";
import { openRawDatabase } from "../lib/workspace-deps.js";

const DAY_MS = 86_400_000;
const RETENTION_DAYS = 30;
const CLAIM_BATCH = 16;
const CLAIM_EVERY_MS = 2;
/** Rows per old op: the op, two attempts, a ledger entry, an audit row. */
const ROWS_PER_OP = 5;

/** `ops` terminal ops last updated 40 days ago, with their attempts, ledger entries and audit rows. */
function seedOldHistory(path: string, ops: number): void {
  const db = openRawDatabase(path);
  try {
    const at = Date.now() - 40 * DAY_MS;
    db.transaction(() => {
      const series = "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @n)";
      db.prepare(`${series}
        INSERT INTO ops (id, action, params, status, schedule, next_exec, due_at, created_at, updated_at, run, exec_count,
          max_exec, attempts, max_attempts, last_error, expires_at, idempotency_key, misfire, missed_window_ms, lease_owner, lease_until, reclaimed)
        SELECT printf('op_old_%09d', i), 'bench.noop', '{}', 'succeeded', '{"kind":"once"}', @at, @at, @at, @at, 1, 1,
          NULL, 1, 5, NULL, NULL, NULL, 'skip', NULL, NULL, NULL, 0 FROM n`).run({ n: ops, at });
      db.prepare(`${series}
        INSERT INTO attempts (op_id, run, attempt, instance, action, started_at, ended_at, outcome, error_code, error, signature, latency_ms)
        SELECT printf('op_old_%09d', i / 2), 1, 1 + i % 2, 'bench', 'bench.noop', @at, @at, CASE i % 2 WHEN 0 THEN 'retryable' ELSE 'ok' END,
          NULL, NULL, NULL, 5 FROM n`).run({ n: ops * 2, at });
      db.prepare(`${series}
        INSERT INTO ledger (op_id, run, seq, signature, wire, blockhash, last_valid_block_height, state, error, lamports, signer, created_at, updated_at)
        SELECT printf('op_old_%09d', i), 1, 1, printf('sig_old_%09d', i), x'00', 'bh', 1, 'landed', NULL, 5000, 'signer', @at, @at FROM n`).run({ n: ops, at });
      db.prepare(`${series}
        INSERT INTO audit (at, instance, kind, op_id, data) SELECT @at, 'bench', 'op.cancelled', printf('op_old_%09d', i), '{}' FROM n`).run({ n: ops, at });
    })();
    db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
}

/** The file's size once its WAL is checkpointed into it (what stays on disk). */
function getFileMiB(path: string): number {
  const db = openRawDatabase(path);
  try {
    db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
  const size = (p: string) => {
    try {
      return statSync(p).size;
    } catch {
      return 0;
    }
  };
  return (size(path) + size(`${path}-wal`)) / (1024 * 1024);
}

/** Claims every CLAIM_EVERY_MS (a busy crank's pace) while `keepGoing`; stops early if the due ops run out. */
async function claimLatencies(temp: TempStore, keepGoing: (n: number) => boolean): Promise<number[]> {
  const out: number[] = [];
  while (keepGoing(out.length)) {
    const claim = await measure(() => temp.store.claimDue({ now: Date.now(), limit: CLAIM_BATCH, owner: "bench", lease_ms: 3_600_000 }));
    if (claim.value.length === 0) break;
    out.push(claim.ms);
    await sleepMs(CLAIM_EVERY_MS);
  }
  return out;
}

export const retention: Benchmark = {
  name: "retention",
  title: "Claim p99 while retention prunes 1M old rows (pruner in a second process)",
  run: ({ smoke, progress }) =>
    // Due ops to claim from: enough for the idle phase and the whole pass at CLAIM_EVERY_MS.
    measureRetention(
      smoke ? { oldOps: 500, idleClaims: 100, claimPool: 10_000, minDuringClaims: 10 } : { oldOps: 200_000, idleClaims: 3_000, claimPool: 1_000_000, minDuringClaims: 100 },
      progress,
    ),
};

export interface RetentionSizes {
  /** Old terminal ops (×5 rows each). */
  oldOps: number;
  idleClaims: number;
  claimPool: number;
  /** Fewer claims while pruning than this and the p99 means nothing: the run fails. */
  minDuringClaims: number;
}

/** The benchmark at any size (`run` uses 200k ops = 1M rows; smaller runs for a loaded machine). */
export async function measureRetention({ oldOps, idleClaims, claimPool, minDuringClaims }: RetentionSizes, progress: (line: string) => void) {
  const t0 = getMonotonicMs();
  const temp = await createTempStore("retention");
  let worker: BenchChild | null = null;
  try {
    seedOldHistory(temp.path, oldOps);
    bulkInsertOps(temp.path, claimPool, () => Date.now() - 1_000);
    const setupMs = getMonotonicMs() - t0;
    const sizeBefore = getFileMiB(temp.path);
    progress(`retention: ${oldOps * ROWS_PER_OP} old rows seeded in ${(setupMs / 1000).toFixed(1)} s`);

    worker = forkWorker(new URL("../workers/retention-worker.ts", import.meta.url), [temp.path, String(RETENTION_DAYS)]);
    await worker.next("ready", 60_000);
    const idle = getDistribution(await claimLatencies(temp, (n) => n < idleClaims));

    worker.send({ type: "go" });
    let done = false;
    const finished = worker.next("done", 30 * 60_000).then((m) => {
      done = true;
      return m;
    });
    const duringSamples = await claimLatencies(temp, () => !done);
    // The due ops ran out before the pass ended: the tail of the pass went unmeasured.
    const poolExhausted = !done;
    if (duringSamples.length < minDuringClaims) throw new Error(`only ${duringSamples.length} claims while pruning: raise the claim pool`);
    const during = getDistribution(duringSamples);
    const { pass } = (await finished) as unknown as { pass: { ops: number; attempts: number; ledger: number; audit: number; batches: number; duration_ms: number; freelist_pages: number | null } };
    await worker.exited(30_000);
    const pruned = pass.ops + pass.attempts + pass.ledger + pass.audit;
    if (pruned !== oldOps * ROWS_PER_OP) throw new Error(`pruned ${pruned} rows, expected ${oldOps * ROWS_PER_OP}`);
    const sizeAfter = getFileMiB(temp.path);
    const ratio = during.p99 / idle.p99;
    return {
      metrics: [
        { name: "claim_p99_idle_ms", value: round(idle.p99, 3), unit: "ms", label: `claimDue(${CLAIM_BATCH}) p99, pruner idle (same-run baseline)` },
        { name: "claim_p99_pruning_ms", value: round(during.p99, 3), unit: "ms", label: `claimDue(${CLAIM_BATCH}) p99 while ${pruned} old rows are pruned` },
        { name: "claim_p99_ratio", value: round(ratio, 2), unit: "x", label: "p99 while pruning / p99 idle (bound: 2)" },
        { name: "rows_pruned", value: pruned, unit: "rows", label: "ops, attempts, ledger entries and audit rows pruned in one pass" },
        { name: "prune_rows_per_s", value: round(pruned / (pass.duration_ms / 1000), 0), unit: "rows/s", label: "pruning rate with the default pauses between batches" },
        { name: "file_mib_before", value: round(sizeBefore, 1), unit: "MiB", label: "store file before the pass (WAL checkpointed)" },
        { name: "file_mib_after", value: round(Math.max(sizeAfter, 0.01), 1), unit: "MiB", label: "store file after the pass and its incremental vacuum (WAL checkpointed)" },
      ],
      details: {
        old_ops: oldOps,
        claims_idle: idle.count,
        claims_during: during.count,
        claim_pool_exhausted_before_pass_end: poolExhausted,
        idle_ms: { p50: round(idle.p50, 3), p99: round(idle.p99, 3), max: round(idle.max, 3) },
        during_ms: { p50: round(during.p50, 3), p99: round(during.p99, 3), max: round(during.max, 3) },
        batches: pass.batches,
        prune_s: round(pass.duration_ms / 1000, 1),
        freelist_pages_after: pass.freelist_pages,
        within_bound: ratio <= 2,
      },
      notes: [
        "Both phases claim from the same file with the pruner process started; only the pruning differs.",
        "Each prune statement deletes at most 200 rows and commits; the pruner pauses max(50 ms, 10 x the batch) between batches.",
      ],
    };
  } finally {
    worker?.child.kill("SIGKILL");
    await temp.dispose();
  }
}
