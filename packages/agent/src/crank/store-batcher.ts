/**
 * Batches one kind of store call: the calls made in one turn of the event loop are committed
 * together by ONE batch verb (one transaction) instead of one transaction each. Each caller still
 * gets its own result, exactly as from the single verb.
 *
 * Failure isolation: when a batch fails with an infra error (the store is busy or gone) every
 * entry gets that error, as each would have alone. Any other error (one bad entry) rolls the
 * batch back, and its entries are retried one by one, so only the bad one fails.
 */
import { CourierError, coerceError } from "../errors.js";

export interface StoreBatcher<A, R> {
  /** Queue one call; resolves with its result once its batch committed. */
  push(args: A): Promise<R>;
}

interface Entry<A, R> {
  args: A;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

export function createStoreBatcher<A, R>(opts: {
  /** The batch verb: one transaction, result i for entry i; a throw means nothing was written. */
  many: (batch: A[]) => Promise<R[]>;
  /** The single verb, for a batch of one and to isolate a bad entry. */
  one: (args: A) => Promise<R>;
  /** Largest batch committed in one transaction (bounded so one commit never holds the write lock long). */
  maxBatch: number;
}): StoreBatcher<A, R> {
  let queue: Entry<A, R>[] = [];
  let scheduled = false;
  let flushing = false;

  async function commitOneByOne(batch: Entry<A, R>[]): Promise<void> {
    for (const e of batch) {
      try {
        e.resolve(await opts.one(e.args));
      } catch (err) {
        e.reject(err);
      }
    }
  }

  async function commit(batch: Entry<A, R>[]): Promise<void> {
    // One entry: the single verb is the same transaction, and its error is already that entry's own.
    if (batch.length === 1) return commitOneByOne(batch);
    let results: R[];
    try {
      results = await opts.many(batch.map((e) => e.args));
      if (results.length !== batch.length) {
        throw new CourierError("COURIER__UNKNOWN", `batch store call returned ${results.length} results for ${batch.length} entries`);
      }
    } catch (err) {
      const error = coerceError(err);
      if (error.outcome === "infra") {
        for (const e of batch) e.reject(error);
        return;
      }
      // Nothing of the batch was written: find the bad entry by committing them one by one.
      return commitOneByOne(batch);
    }
    for (let i = 0; i < batch.length; i++) batch[i]?.resolve(results[i] as R);
  }

  async function flush(): Promise<void> {
    scheduled = false;
    flushing = true;
    try {
      // Entries queued while a batch commits go in the next one, without waiting another turn.
      while (queue.length > 0) {
        const batch = queue.length <= opts.maxBatch ? queue : queue.slice(0, opts.maxBatch);
        queue = queue.length <= opts.maxBatch ? [] : queue.slice(opts.maxBatch);
        await commit(batch);
      }
    } finally {
      flushing = false;
    }
  }

  return {
    push(args) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ args, resolve, reject });
        if (scheduled || flushing) return;
        scheduled = true;
        // After the current turn's microtasks: every call made now joins this batch.
        setImmediate(() => void flush());
      });
    },
  };
}
