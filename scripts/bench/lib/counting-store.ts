import type { Store } from "./courier.js";

export interface CountingStore {
  store: Store;
  /** Attempts this process finished (finishAttempt returned true). */
  readonly finished: number;
  /** Resolves when `target` attempts have finished; rejects after `timeoutMs`. */
  reached(target: number, timeoutMs: number): Promise<void>;
}

/**
 * The store, with a count of finished attempts (finishAttempt, or finishAttempts entries that
 * were applied): how a benchmark knows the crank has completed N ops without polling the
 * database from the crank's own event loop.
 */
export function createCountingStore(inner: Store): CountingStore {
  let finished = 0;
  let goal: { target: number; resolve: () => void } | null = null;
  const count = (applied: number) => {
    finished += applied;
    if (goal && finished >= goal.target) goal.resolve();
  };
  const store = new Proxy(inner, {
    get(target, prop) {
      if (prop === "finishAttempt") {
        return async (args: Parameters<Store["finishAttempt"]>[0]) => {
          const ok = await target.finishAttempt(args);
          if (ok) count(1);
          return ok;
        };
      }
      // The crank's batched path (optional on Store): count every entry that was applied.
      if (prop === "finishAttempts" && target.finishAttempts) {
        const finishAttempts = target.finishAttempts.bind(target);
        return async (batch: Parameters<NonNullable<Store["finishAttempts"]>>[0]) => {
          const results = await finishAttempts(batch);
          count(results.filter(Boolean).length);
          return results;
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return {
    store,
    get finished() {
      return finished;
    },
    reached(target, timeoutMs) {
      if (finished >= target) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${finished} of ${target} ops finished within ${timeoutMs} ms`)), timeoutMs);
        goal = {
          target,
          resolve: () => {
            clearTimeout(timer);
            goal = null;
            resolve();
          },
        };
      });
    },
  };
}
