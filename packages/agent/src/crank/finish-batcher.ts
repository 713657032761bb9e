/**
 * Batches the store calls that end attempts. The attempts that end in one turn of the event loop
 * (with a fast executor: all of a claimed batch) are committed together by ONE
 * `store.finishAttempts` call, one transaction, instead of one transaction each: the commit, not
 * the executor, was the cost of the crank's hot path. Each caller still gets its own result
 * (true: applied; false: the op was no longer ours), exactly as from `store.finishAttempt`.
 *
 * Failure isolation: when a batch fails with an infra error (the store is busy or gone) every
 * entry gets that error, as each would have alone. Any other error (one bad entry) rolls the
 * batch back, and its entries are retried one by one, so only the bad one fails.
 */
import { CourierError, coerceError } from "../errors.js";
import type { FinishAttemptArgs, FinishStore } from "../types.js";


export interface FinishBatcher {
  /** Queue the end of an attempt; resolves with finishAttempt's result once committed. */
  finish(args: FinishAttemptArgs): Promise<boolean>;
}

interface Entry {
  args: FinishAttemptArgs;
  resolve: (ok: boolean) => void;
  reject: (e: unknown) => void;
}

/** Largest batch committed in one transaction (bounded so one commit never holds the write lock long). */
export const DEFAULT_FINISH_BATCH = 256;

export function createFinishBatcher(store: FinishStore, maxBatch = DEFAULT_FINISH_BATCH): FinishBatcher {
  let queue: Entry[] = [];
  let scheduled = false;
  let flushing = false;

  async function commitOneByOne(batch: Entry[]): Promise<void> {
    for (const e of batch) {
      try {
        e.resolve(await store.finishAttempt(e.args));
      } catch (err) {
        e.reject(err);
      }
    }
  }

  async function commit(batch: Entry[]): Promise<void> {
    // One entry: finishAttempt is the same transaction, and its error is already that entry's own.
    if (batch.length === 1) return commitOneByOne(batch);
    let results: boolean[];
    try {
      results = await store.finishAttempts(batch.map((e) => e.args));
      if (results.length !== batch.length) {
        throw new CourierError("COURIER__UNKNOWN", `finishAttempts returned ${results.length} results for ${batch.length} entries`);
      }
    } catch (err) {
      const error = coerceError(err);
      if (error.outcome === "infra") {
        for (const e of batch) e.reject(error);
        return;
      }
      // Nothing of the batch was written: find the bad entry by finishing them one by one.
      return commitOneByOne(batch);
    }
    for (let i = 0; i < batch.length; i++) batch[i]?.resolve(results[i] === true);
  }

  async function flush(): Promise<void> {
    scheduled = false;
    flushing = true;
    try {
      // Entries queued while a batch commits go in the next one, without waiting another turn.
      while (queue.length > 0) {
        const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
        queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch);
        await commit(batch);
      }
    } finally {
      flushing = false;
    }
  }

  return {
    finish(args) {
      return new Promise<boolean>((resolve, reject) => {
        queue.push({ args, resolve, reject });
        if (scheduled || flushing) return;
        scheduled = true;
        // After the current turn's microtasks: every attempt ending now joins this batch.
        setImmediate(() => void flush());
      });
    },
  };
}
