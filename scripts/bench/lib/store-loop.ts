/**
 * The store alone, without the crank: claim a batch, finish the claimed ops as succeeded (with
 * their attempt rows) in one finishAttempts call when the store has it (the crank's own path),
 * else one finishAttempt each; repeat until nothing is due. The gap to the crank's figure is the
 * crank's own overhead (control read, single-flight, p-limit, lifecycle, leases, tick records).
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
    const now = Date.now();
    const batch = claimed.map(({ op }) => {
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
      return {
        id: op.id,
        owner: opts.owner,
        now,
        transition: { kind: "finish" as const, status: "succeeded" as const, exec_count: op.exec_count + 1, last_error: null },
        attempt,
      };
    });
    if (store.finishAttempts) {
      finished += (await store.finishAttempts(batch)).filter(Boolean).length;
    } else {
      for (const args of batch) if (await store.finishAttempt(args)) finished++;
    }
  }
  return { ms: getMonotonicMs() - t0, cpu_ms: getCpuMs() - c0, finished };
}
