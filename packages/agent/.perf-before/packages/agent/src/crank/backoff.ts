/**
 * Retry backoff: `min(maxMs, baseMs * 2^attempts)` with "lower" jitter.
 *
 * Jitter only ever shortens the delay: the result lies in [cap * (1 - jitter), cap] where
 * cap = min(maxMs, baseMs * 2^attempts). It never exceeds maxMs, and with jitter < 0.5 the
 * ranges of consecutive attempts do not overlap, so delays strictly increase until the cap.
 * Jitter spreads the retries of ops that failed together (one RPC blip) so they do not retry
 * in lockstep.
 */
export interface BackoffConfig {
  baseMs: number;
  maxMs: number;
  /** Fraction 0..1 of the delay that may be shaved off at random. */
  jitter: number;
}

export interface ComputeBackoffArgs extends BackoffConfig {
  /** Failed attempts before this one (0 for the first retry). */
  attempts: number;
  /** Uniform in [0, 1). Inject a seeded one for tests. */
  random: () => number;
}

export const DEFAULT_BACKOFF: BackoffConfig = { baseMs: 1_000, maxMs: 5 * 60_000, jitter: 0.2 };

export function computeBackoff(args: ComputeBackoffArgs): number {
  const attempts = Math.max(0, Math.floor(args.attempts));
  const jitter = Math.min(1, Math.max(0, args.jitter));
  // 2^attempts overflows to Infinity for large attempts; min() keeps it at the cap.
  const cap = Math.min(args.maxMs, args.baseMs * 2 ** Math.min(attempts, 1_000));
  const r = Math.min(1, Math.max(0, args.random()));
  return Math.round(cap * (1 - jitter * r));
}

/** Deterministic uniform [0, 1) generator (mulberry32): same seed, same sequence. */
export function createSeededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
