/**
 * 7. PostgreSQL store next to SQLite (issue 8): claim throughput of 1 and 3 processes, each
 * claiming batches of 256 due ops and finishing them with one finishAttempts per batch (the
 * crank's store traffic without the crank), on one PostgreSQL store and on one SQLite file, in
 * the same run. PostgreSQL comes from COURIER_TEST_PG_URL or a throwaway local cluster.
 */
import { getTestPostgres } from "@courier/testing";
import { measurePostgresClaimThroughput } from "../lib/postgres-claims.js";
import { forkWorker } from "../lib/child.js";
import { bulkInsertOps } from "../lib/ops.js";
import { type Benchmark, type Metric, round } from "../lib/result.js";
import { createTempStore } from "../lib/temp-store.js";

const BATCH = 256;
const PROCESSES = [1, 3] as const;

async function measureSqlite(ops: number, processes: number): Promise<{ ops_per_sec: number; per_process: number[] }> {
  const temp = await createTempStore(`pg-compare-${processes}p`);
  bulkInsertOps(temp.path, ops, () => Date.now() - 1);
  try {
    const workers = Array.from({ length: processes }, (_, i) =>
      forkWorker(new URL("../workers/store-loop-worker.ts", import.meta.url), [temp.path, `bench-p${i + 1}`, String(BATCH)]),
    );
    await Promise.all(workers.map((w) => w.next("ready", 60_000)));
    for (const w of workers) w.send({ type: "go" });
    const done = await Promise.all(workers.map((w) => w.next("done", 600_000)));
    await Promise.all(workers.map((w) => w.exited(10_000)));
    const per_process = done.map((m) => Number(m.finished));
    const finished = per_process.reduce((a, b) => a + b, 0);
    if (finished !== ops) throw new Error(`SQLite: finished ${finished} of ${ops} ops`);
    const elapsed = Math.max(...done.map((m) => Number(m.ended_at))) - Math.min(...done.map((m) => Number(m.started_at)));
    return { ops_per_sec: (ops / Math.max(elapsed, 1)) * 1000, per_process };
  } finally {
    await temp.dispose();
  }
}

export const postgresClaims: Benchmark = {
  name: "postgres-claims",
  title: "PostgreSQL store next to SQLite: claim + finish throughput, 1 and 3 processes",
  async run({ smoke, progress }) {
    const ops = smoke ? 1_000 : 20_000;
    const server = await getTestPostgres();
    if (!server) throw new Error("no PostgreSQL available: set COURIER_TEST_PG_URL or install PostgreSQL server binaries");
    const metrics: Metric[] = [];
    const details: Record<string, unknown> = { ops, batch: BATCH };
    try {
      for (const processes of PROCESSES) {
        progress(`postgres-claims: SQLite, ${processes} process(es), ${ops} ops`);
        const sqlite = await measureSqlite(ops, processes);
        progress(`postgres-claims: PostgreSQL, ${processes} process(es), ${ops} ops`);
        const pg = await measurePostgresClaimThroughput({ url: server.url, ops, processes, batch: BATCH });
        metrics.push(
          { name: `sqlite_${processes}p_ops_per_s`, value: round(sqlite.ops_per_sec, 0), unit: "ops/s", label: `SQLite, ${processes} process(es) on one file` },
          { name: `postgres_${processes}p_ops_per_s`, value: round(pg.ops_per_sec, 0), unit: "ops/s", label: `PostgreSQL, ${processes} process(es) on one store` },
          { name: `postgres_over_sqlite_${processes}p`, value: round(pg.ops_per_sec / sqlite.ops_per_sec, 2), unit: "x", label: `PostgreSQL / SQLite, ${processes} process(es)` },
        );
        details[`${processes}p`] = { sqlite_per_process: sqlite.per_process, postgres_per_process: pg.per_process };
      }
    } finally {
      await server.stop();
    }
    return {
      metrics,
      details,
      notes: [
        "Both sides run the same store traffic: claimDue(256) then one finishAttempts per batch, in child processes started together; every op finished exactly once (checked).",
        "PostgreSQL runs on the same 2-core machine over loopback; across hosts the network round trip adds to every claim.",
      ],
    };
  },
};
