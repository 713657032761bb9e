import { CourierError } from "../errors.js";
import { DEFAULT_BACKOFF } from "./backoff.js";
import type { CrankOptions } from "./crank-types.js";
import { DEFAULT_LIFECYCLE, type LifecycleConfig } from "./lifecycle.js";

/** The crank's options with their defaults, the numbers checked (COURIER__CONFIG on a bad value). */
export function getCrankSettings(opts: CrankOptions) {
  const maxIdleMs = positive("maxIdleMs", opts.maxIdleMs ?? 1_000);
  const leaseMs = positive("leaseMs", opts.leaseMs ?? 30_000);
  return {
    concurrency: positive("concurrency", opts.concurrency ?? 16),
    batchSize: positive("batchSize", opts.batchSize ?? 64),
    leaseMs,
    maxIdleMs,
    shutdownGraceMs: Math.max(0, opts.shutdownGraceMs ?? 10_000),
    heartbeatMs: positive("heartbeatMs", opts.heartbeatMs ?? 5_000),
    idleTickRecordMs: positive("idleTickRecordMs", opts.idleTickRecordMs ?? 60_000),
    tickRecordMs: Math.max(0, opts.tickRecordMs ?? 1_000),
    reclaimIntervalMs: Math.min(maxIdleMs, leaseMs / 3),
    lifecycle: {
      ...DEFAULT_LIFECYCLE,
      ...opts.lifecycle,
      backoff: opts.backoff ?? DEFAULT_BACKOFF,
      random: opts.random ?? Math.random,
    } satisfies LifecycleConfig as LifecycleConfig,
  };
}

function positive(name: string, v: number): number {
  if (!Number.isFinite(v) || v <= 0) throw new CourierError("COURIER__CONFIG", `createCrank: ${name} must be a positive number, got ${v}`, { option: name });
  return v;
}
