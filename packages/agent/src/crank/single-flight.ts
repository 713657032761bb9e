/**
 * Single-flight: at most one execution per op id in this process.
 *
 * The store's CAS claim keeps two processes apart; this map keeps two paths of one process
 * apart (overlapping ticks, or a tick re-claiming an op whose lease this very process let
 * expire while still executing it). A second dispatch of an op already in flight never starts a
 * second execution: `run` returns null and the caller counts it as skipped.
 */
import { callAsync } from "./call-async.js";

export interface SingleFlight {
  /** Start `fn` for `id` unless an execution for `id` is in flight; null when skipped. */
  run(id: string, fn: () => Promise<void>): Promise<void> | null;
  has(id: string): boolean;
  readonly size: number;
  /** Resolves when the execution for `id` (if any) has settled. */
  wait(id: string): Promise<void>;
  /** Resolves when every execution in flight now has settled. */
  settled(): Promise<void>;
}

export function createSingleFlight(): SingleFlight {
  const inFlight = new Map<string, { promise: Promise<void> }>();
  return {
    run(id, fn) {
      if (inFlight.has(id)) return null;
      const entry = { promise: Promise.resolve() };
      inFlight.set(id, entry);
      // The entry leaves the map in the same step fn settles (no extra hop), and only this
      // very entry is removed.
      entry.promise = callAsync(fn).finally(() => {
        if (inFlight.get(id) === entry) inFlight.delete(id);
      });
      return entry.promise;
    },
    has: (id) => inFlight.has(id),
    get size() {
      return inFlight.size;
    },
    async wait(id) {
      await inFlight.get(id)?.promise.catch(() => undefined);
    },
    async settled() {
      await Promise.allSettled([...inFlight.values()].map((e) => e.promise));
    },
  };
}
