import { readFileSync } from "node:fs";

/**
 * Peak resident set size of this process in bytes, from the kernel's high-water mark (VmHWM),
 * which catches peaks between samples; falls back to the sampler's maximum elsewhere.
 */
export function getPeakRssBytes(): number | null {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync("/proc/self/status", "utf8"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export interface RssSampler {
  /** Largest RSS seen so far (bytes). */
  readonly max: number;
  readonly samples: number;
  stop(): number;
}

/** Sample `process.memoryUsage.rss()` every `intervalMs` (unref'd timer) and keep the maximum. */
export function startRssSampler(intervalMs = 50): RssSampler {
  let max = process.memoryUsage.rss();
  let samples = 1;
  const take = () => {
    const r = process.memoryUsage.rss();
    if (r > max) max = r;
    samples++;
  };
  const timer = setInterval(take, intervalMs);
  timer.unref();
  return {
    get max() {
      return max;
    },
    get samples() {
      return samples;
    },
    stop() {
      clearInterval(timer);
      take();
      return max;
    },
  };
}

export function toMiB(bytes: number): number {
  return Math.round((bytes / 2 ** 20) * 10) / 10;
}
