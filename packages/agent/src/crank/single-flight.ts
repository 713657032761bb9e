/**
 * Single-flight: at most one execution per op id in this process.
 *
 * The store's CAS claim keeps two processes apart; this map keeps two paths of one process
 * apart (overlapping ticks, or a tick re-claiming an op whose lease this very process let
 * expire while still executing it). A second dispatch of an op already in flight never starts a
 * second execution: `run` returns null and the caller counts it as skipped.
 */
export interface SingleFlight {
  /** Start `fn` for `id` unless an execution for `id` is in flight; null when skipped. */
  run(id: string, fn: () => Promise<void>): Promise<void> | null;
  has(id: string): boolean;
  readonly size: number;
  /** Resolves when every execution in flight now has settled. */
  settled(): Promise<void>;
}

export function createSingleFlight(): SingleFlight {
  const inFlight = new Map<string, Promise<void>>();
  return {
    run(id, fn) {
      if (inFlight.has(id)) return null;
      // fn is called synchronously after the map is set, so a re-entrant run() for the same id
      // sees it; the deletion is async and only removes this very promise.
      const p: Promise<void> = Promise.resolve()
        .then(fn)
        .finally(() => {
          if (inFlight.get(id) === p) inFlight.delete(id);
        });
      inFlight.set(id, p);
      return p;
    },
    has: (id) => inFlight.has(id),
    get size() {
      return inFlight.size;
    },
    async settled() {
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}
