import type { Store } from "./courier.js";

export interface CountingStore {
  store: Store;
  /** Attempts this process finished (finishAttempt returned true). */
  readonly finished: number;
  /** Resolves when `target` attempts have finished; rejects after `timeoutMs`. */
  reached(target: number, timeoutMs: number): Promise<void>;
}

/**
 * The store, with a count of finished attempts: how a benchmark knows the crank has completed
 * N ops without polling the database from the crank's own event loop.
 */
export function createCountingStore(inner: Store): CountingStore {
  let finished = 0;
  let goal: { target: number; resolve: () => void } | null = null;
  const store = new Proxy(inner, {
    get(target, prop) {
      if (prop === "finishAttempt") {
        return async (args: Parameters<Store["finishAttempt"]>[0]) => {
          const ok = await target.finishAttempt(args);
          if (ok) {
            finished++;
            if (goal && finished >= goal.target) goal.resolve();
          }
          return ok;
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
