/**
 * The baseline Courier replaces, on the same file and schema: select every pending due op, then
 * for each one an UPDATE to running (no status check: no compare-and-set), the no-op executor
 * (10 at a time), and an UPDATE to succeeded. Each statement is its own autocommit transaction,
 * and no attempt history is written, so per op it does less bookkeeping than Courier does.
 */
import pLimit from "p-limit";
import { getCpuMs, getMonotonicMs } from "./timing.js";
import { openRawDatabase } from "./workspace-deps.js";

/** `execute` stands in for the executor (a no-op in the throughput benchmark). */
export function runNaiveCrank(
  path: string,
  execute: (opId: string) => Promise<void>,
  opts: { concurrency: number; owner: string },
): Promise<{ ms: number; cpu_ms: number; finished: number }> {
  const db = openRawDatabase(path);
  const selectDue = db.prepare<[number], { id: string }>("SELECT * FROM ops WHERE status = 'pending' AND next_exec <= ?");
  const markRunning = db.prepare<[string, number, string]>("UPDATE ops SET status = 'running', lease_owner = ?, updated_at = ? WHERE id = ?");
  const markDone = db.prepare<[number, string]>("UPDATE ops SET status = 'succeeded', exec_count = exec_count + 1, lease_owner = NULL, updated_at = ? WHERE id = ?");
  const limit = pLimit(opts.concurrency);
  let finished = 0;
  const run = async () => {
    const t0 = getMonotonicMs();
    const c0 = getCpuMs();
    for (;;) {
      const rows = selectDue.all(Date.now());
      if (rows.length === 0) break;
      const runs: Array<Promise<void>> = [];
      for (const row of rows) {
        markRunning.run(opts.owner, Date.now(), row.id);
        runs.push(
          limit(async () => {
            await execute(row.id);
            markDone.run(Date.now(), row.id);
            finished++;
          }),
        );
      }
      await Promise.all(runs);
    }
    return { ms: getMonotonicMs() - t0, cpu_ms: getCpuMs() - c0, finished };
  };
  return run().finally(() => db.close());
}
