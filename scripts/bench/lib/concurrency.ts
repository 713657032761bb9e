/**
 * A minimal concurrency limiter for the naive baseline (p-limit is not reachable from the
 * repository root). `run` resolves when the task has been started, so a producer loop blocks
 * while `limit` tasks are in flight; `idle` resolves when all have settled.
 */
export interface Limiter {
  run(task: () => Promise<void>): Promise<void>;
  /** Resolves when every task settled; rejects with the first task error, if any. */
  idle(): Promise<void>;
}

export function createLimiter(limit: number): Limiter {
  let active = 0;
  const waiting: Array<() => void> = [];
  const idleWaiters: Array<() => void> = [];
  let firstError: unknown = null;
  const release = () => {
    active--;
    const next = waiting.shift();
    if (next) next();
    else if (active === 0) for (const w of idleWaiters.splice(0)) w();
  };
  return {
    async run(task) {
      if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      active++;
      task().then(release, (e: unknown) => {
        firstError ??= e;
        release();
      });
    },
    async idle() {
      if (active > 0 || waiting.length > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
      if (firstError !== null) throw firstError;
    },
  };
}
