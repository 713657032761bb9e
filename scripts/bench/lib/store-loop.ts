/**
 * The store alone, without the crank: claim a batch, finish each claimed op as succeeded (with
 * its attempt row), repeat until nothing is due. The gap to the crank's figure is the crank's
 * own overhead (control read, single-flight, p-limit, lifecycle, leases, tick records).
 */
import type { AttemptRecord, Store } from "./courier.js";
import { getCpuMs, getMonotonicMs } from "./timing.js";

export async function runStoreLoop(store: Store, opts: { batchSize: number; owner: string }): Promise<{ ms: number; cpu_ms: number; finished: number }> {
  let finished = 0;
  const t0 = getMonotonicMs();
  const c0 = getCpuMs();
  for (;;) {
    const claimedAt = Date.now();
    const claimed = await store.claimDue({ now: claimedAt, limit: opts.batchSize, owner: opts.owner, lease_ms: 60_000 });
    if (claimed.length === 0) break;
    for (const { op } of claimed) {
      const now = Date.now();
      const attempt: AttemptRecord = {
        op_id: op.id,
        run: op.run,
        attempt: op.attempts,
        instance: opts.owner,
        action: op.action,
        started_at: claimedAt,
        ended_at: now,
        outcome: "ok",
        error_code: null,
        error: null,
        signature: null,
        latency_ms: now - claimedAt,
      };
      const ok = await store.finishAttempt({
        id: op.id,
        owner: opts.owner,
        now,
        transition: { kind: "finish", status: "succeeded", exec_count: op.exec_count + 1, last_error: null },
        attempt,
      });
      if (ok) finished++;
    }
  }
  return { ms: getMonotonicMs() - t0, cpu_ms: getCpuMs() - c0, finished };
}
