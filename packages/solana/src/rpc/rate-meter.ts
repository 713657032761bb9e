/**
 * Requests per second actually granted over the last second, in ten 100 ms buckets: what an
 * AIMD cut starts from (halving a rate we never reached would not slow anything down).
 */
import type { Clock } from "@courier/agent";

const BUCKET_MS = 100;
const BUCKETS = 10;

export interface RateMeter {
  mark(): void;
  /** Requests per second over the last second (the current bucket included). */
  perSecond(): number;
}

export function createRateMeter(clock: Clock): RateMeter {
  const counts = new Array<number>(BUCKETS).fill(0);
  let head = Math.floor(clock.now() / BUCKET_MS);

  function advance(): void {
    const at = Math.floor(clock.now() / BUCKET_MS);
    for (let i = Math.min(BUCKETS, at - head); i > 0; i--) counts[(at - i + 1) % BUCKETS] = 0;
    if (at > head) head = at;
  }

  return {
    mark() {
      advance();
      counts[head % BUCKETS] = (counts[head % BUCKETS] ?? 0) + 1;
    },
    perSecond() {
      advance();
      // The oldest bucket is whole, the current one only partly elapsed: scale to one second.
      const coveredMs = (BUCKETS - 1) * BUCKET_MS + Math.max(1, clock.now() - head * BUCKET_MS);
      return (counts.reduce((a, b) => a + b, 0) * 1_000) / coveredMs;
    },
  };
}
