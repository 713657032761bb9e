/**
 * What really happened to the planned ops, from the store and from the chain:
 * - succeeded / failed / lost runs (lost: neither succeeded nor failed by the deadline);
 * - duplicates on chain, found two independent ways: a recipient holding more than
 *   lamports × successful runs, and a run with more than one of its signatures landed;
 * - a run the store calls done whose transfer is not on chain (missing);
 * - lag of each successful run, from its due time to its confirmation (the end of the ok attempt).
 */
import { type AttemptRecord, nextSlotAfter, type Op, type Store } from "./workspace.js";
import type { SimCluster } from "./sim-cluster.js";
import type { PlannedTransfer } from "./sim-world.js";

export interface RunVerdicts {
  scheduled: number;
  succeeded: number;
  failed: number;
  lost: number;
  /** Runs skipped by the misfire policy (recorded as `missed`). */
  missed: number;
  duplicates: number;
  /** Runs the store calls succeeded with nothing on chain to show for it. */
  missing_on_chain: number;
  /** Signatures of successful runs that landed, over all runs. */
  landed_signatures: number;
  recipients_checked: number;
  lags_ms: number[];
  /** Attempts by outcome, over every planned op. */
  outcomes: Record<string, number>;
  /** Successful runs by the instance that finished them. */
  by_instance: Record<string, number>;
  /** One line per thing that went wrong (empty when the run is clean). */
  problems: string[];
}

const FAILED_STATUSES = new Set(["failed", "dead", "expired", "cancelled"]);

export async function verifyRuns(store: Store, cluster: SimCluster, planned: PlannedTransfer[]): Promise<RunVerdicts> {
  const v: RunVerdicts = {
    scheduled: 0,
    succeeded: 0,
    failed: 0,
    lost: 0,
    missed: 0,
    duplicates: 0,
    missing_on_chain: 0,
    landed_signatures: 0,
    recipients_checked: planned.length,
    lags_ms: [],
    outcomes: {},
    by_instance: {},
    problems: [],
  };
  const balances = await cluster.getBalances(planned.map((p) => p.to));
  for (const [i, plan] of planned.entries()) {
    v.scheduled += plan.runs;
    const op = await store.getOp(plan.id);
    if (!op) {
      v.lost += plan.runs;
      v.problems.push(`${plan.id}: lost (not in the store)`);
      continue;
    }
    const attempts = await store.getAttempts(plan.id);
    const okRuns = new Map<number, AttemptRecord>();
    for (const a of attempts) {
      v.outcomes[a.outcome] = (v.outcomes[a.outcome] ?? 0) + 1;
      if (a.outcome === "missed") v.missed++;
      if (a.outcome === "ok" && !okRuns.has(a.run)) okRuns.set(a.run, a);
    }
    const succeeded = Math.min(okRuns.size, plan.runs);
    v.succeeded += succeeded;
    if (okRuns.size > plan.runs) v.problems.push(`${plan.id}: ${okRuns.size} runs succeeded, ${plan.runs} planned`);
    const failed = FAILED_STATUSES.has(op.status) ? plan.runs - succeeded : 0;
    v.failed += failed;
    if (failed > 0) v.problems.push(`${plan.id}: ${op.status} after ${succeeded}/${plan.runs} runs (${op.last_error ?? "no error recorded"})`);
    const lost = plan.runs - succeeded - failed;
    v.lost += lost;
    if (lost > 0) v.problems.push(`${plan.id}: ${lost} run(s) not done by the deadline (status ${op.status}, run ${op.run}, attempts ${op.attempts})`);
    for (const [run, a] of okRuns) {
      v.lags_ms.push(Math.max(0, a.ended_at - getRunDueTime(plan.op, run)));
      v.by_instance[a.instance] = (v.by_instance[a.instance] ?? 0) + 1;
    }

    // Chain, way 1: signatures landed per run (the ledger knows every transaction it signed).
    const ledger = await store.getOpLedger(plan.id);
    const landed = await cluster.getLanded(ledger.map((e) => e.signature));
    const landedByRun = new Map<number, number>();
    for (const [j, e] of ledger.entries()) if (landed[j]) landedByRun.set(e.run, (landedByRun.get(e.run) ?? 0) + 1);
    let sigDuplicates = 0;
    for (const [run, n] of landedByRun) {
      v.landed_signatures += n;
      if (n > 1) {
        sigDuplicates += n - 1;
        v.problems.push(`${plan.id}: run ${run} landed ${n} transactions`);
      }
    }
    for (const run of okRuns.keys()) {
      if (!landedByRun.has(run)) v.problems.push(`${plan.id}: run ${run} succeeded but none of its signatures is on chain`);
    }
    // Chain, way 2: the recipient's balance (catches a transaction the ledger never recorded).
    const expected = BigInt(plan.lamports) * BigInt(okRuns.size);
    const balance = balances[i] ?? 0n;
    const diffRuns = Number((balance - expected) / BigInt(plan.lamports));
    if (balance !== expected) v.problems.push(`${plan.id}: recipient ${plan.to} holds ${balance} lamports, expected ${expected}`);
    v.duplicates += Math.max(sigDuplicates, diffRuns > 0 ? diffRuns : balance > expected ? 1 : 0);
    if (balance < expected) v.missing_on_chain += Math.max(1, -diffRuns);
  }
  return v;
}

/** When run `run` (from 1) of `op` was due: its schedule's slot number run - 1 from the first. */
export function getRunDueTime(op: Op, run: number): number {
  if (op.schedule.kind === "once" || run <= 1) return op.next_exec;
  if (op.schedule.kind === "every") return op.schedule.anchor + (run - 1) * op.schedule.every_ms;
  let due = op.next_exec;
  for (let r = 1; r < run; r++) {
    const next = nextSlotAfter(op.schedule, due);
    if (next === null) break;
    due = next;
  }
  return due;
}
