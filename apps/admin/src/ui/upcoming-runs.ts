/**
 * Runs due in a window across ops: pending ops in next_exec order (the due index), each
 * expanded into its following slots inside the window, merged and cut at `limit`.
 */
import { nextSlotAfter, type Op } from "@courier/agent";
import type { AdminDeps } from "../types.js";

export interface UpcomingRun {
  at: number;
  op: Op;
  /** Run number this slot would be (the op's current run for its pending slot). */
  run: number;
}

export async function listUpcomingRuns(deps: AdminDeps, args: { from: number; until: number; limit: number }): Promise<UpcomingRun[]> {
  const ops = await deps.store.listDueOps({ until: args.until, limit: args.limit });
  // ops past the last one fetched are unknown: slots later than its first one could be out of order
  const horizon = ops.length === args.limit ? Math.min(args.until, (ops[ops.length - 1] as Op).next_exec) : args.until;
  const runs: UpcomingRun[] = [];
  for (const op of ops) {
    let at: number | null = op.next_exec;
    let run = op.run;
    let left = op.max_exec === null ? args.limit : Math.max(1, op.max_exec - op.exec_count);
    while (at !== null && at <= horizon && left > 0 && runs.length < args.limit * 4) {
      if (op.expires_at !== null && at > op.expires_at) break;
      runs.push({ at, op, run });
      at = nextSlotAfter(op.schedule, Math.max(at, args.from));
      run++;
      left--;
    }
  }
  return runs.sort((a, b) => a.at - b.at || a.op.id.localeCompare(b.op.id)).slice(0, args.limit);
}
