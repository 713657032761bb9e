/**
 * Batches the store calls that end attempts. The attempts that end in one turn of the event loop
 * (with a fast executor: all of a claimed batch) are committed together by ONE
 * `store.finishAttempts` call, one transaction, instead of one transaction each: the commit, not
 * the executor, was the cost of the crank's hot path. Each caller still gets its own result
 * (true: applied; false: the op was no longer ours), exactly as from `store.finishAttempt`.
 * Failure isolation: see store-batcher.ts.
 */
import type { FinishAttemptArgs, FinishStore } from "../types.js";
import { createStoreBatcher } from "./store-batcher.js";

export interface FinishBatcher {
  /** Queue the end of an attempt; resolves with finishAttempt's result once committed. */
  finish(args: FinishAttemptArgs): Promise<boolean>;
}

/** Largest batch committed in one transaction (bounded so one commit never holds the write lock long). */
export const DEFAULT_FINISH_BATCH = 256;

export function createFinishBatcher(store: FinishStore, maxBatch = DEFAULT_FINISH_BATCH): FinishBatcher {
  const batcher = createStoreBatcher<FinishAttemptArgs, boolean>({
    many: (batch) => store.finishAttempts(batch),
    one: (args) => store.finishAttempt(args),
    maxBatch,
  });
  return { finish: (args) => batcher.push(args).then((ok) => ok === true) };
}
