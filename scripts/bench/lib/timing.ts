import { performance } from "node:perf_hooks";

/** Monotonic milliseconds with sub-millisecond resolution (benchmarks only; logic uses the Clock). */
export function getMonotonicMs(): number {
  return performance.now();
}

/** Run `fn` and return its result with the elapsed monotonic milliseconds. */
export async function measure<T>(fn: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

/**
 * Poll `check` every `intervalMs` until it returns true or `timeoutMs` passes. Returns whether
 * it became true; the benchmark decides whether a timeout is fatal.
 */
export async function waitFor(check: () => boolean | Promise<boolean>, opts: { timeoutMs: number; intervalMs?: number }): Promise<boolean> {
  const deadline = performance.now() + opts.timeoutMs;
  const interval = opts.intervalMs ?? 10;
  for (;;) {
    if (await check()) return true;
    if (performance.now() >= deadline) return false;
    await sleepMs(interval);
  }
}

export function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** CPU time (user + system) this process has used, in milliseconds. Less sensitive to other load than wall time. */
export function getCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1_000;
}
