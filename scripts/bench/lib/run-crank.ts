import { createCountingStore } from "./counting-store.js";
import { createCrank, type Executor, type Store, systemClock } from "./courier.js";
import { getCpuMs, getMonotonicMs } from "./timing.js";
import { createSilentLogger } from "./workspace-deps.js";

export interface CrankRunSettings {
  instanceId: string;
  concurrency: number;
  batchSize: number;
  leaseMs?: number;
}

/**
 * Run a real crank (system clock, silent logger) on `store` until `count` attempts finished,
 * then stop it. Returns the elapsed wall and CPU milliseconds from start() to the last finish.
 */
export async function runCrankUntil(
  store: Store,
  executor: Executor,
  count: number,
  settings: CrankRunSettings & { timeoutMs: number },
): Promise<{ ms: number; cpu_ms: number; finished: number }> {
  const counting = createCountingStore(store);
  const crank = createCrank({
    store: counting.store,
    executor,
    clock: systemClock,
    logger: createSilentLogger(),
    instanceId: settings.instanceId,
    concurrency: settings.concurrency,
    batchSize: settings.batchSize,
    leaseMs: settings.leaseMs ?? 60_000,
  });
  const t0 = getMonotonicMs();
  const c0 = getCpuMs();
  const loop = crank.start();
  try {
    await counting.reached(count, settings.timeoutMs);
    return { ms: getMonotonicMs() - t0, cpu_ms: getCpuMs() - c0, finished: counting.finished };
  } finally {
    await crank.stop();
    await loop;
  }
}
