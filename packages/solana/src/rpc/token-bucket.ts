/**
 * A token bucket per endpoint: `ratePerSecond` tokens refill continuously up to `burst`.
 * A 429 with `Retry-After` blocks the bucket until then, whatever its tokens, so the endpoint
 * is skipped instead of hammered.
 */
import type { Clock } from "@courier/agent";

export interface TokenBucket {
  /** Take one token now; returns 0 on success, otherwise the ms until one could be taken. */
  tryTake(): number;
  /**
   * Ms until a take may leave the bucket owing at most `maxDebt` tokens (0: now). Later takes
   * wait until the debt is paid back.
   */
  owingWaitMs(maxDebt: number): number;
  /** Take one token whether or not it is there (after owingWaitMs said 0). */
  owe(): void;
  /** Refuse every take until `until` (epoch ms of the clock). */
  blockUntil(until: number): void;
  /** Epoch ms until which the bucket is blocked by Retry-After (0 when not blocked). */
  blockedUntil(): number;
  /** Whether a token is there now (and no block), without taking it. */
  canTake(): boolean;
  /** Change the refill rate and size; tokens already there are kept (up to the new size). */
  setRate(ratePerSecond: number, burst: number): void;
  rate(): number;
}

export function createTokenBucket(opts: { ratePerSecond: number; burst: number; clock: Clock }): TokenBucket {
  const { clock } = opts;
  let { ratePerSecond, burst } = opts;
  if (!(ratePerSecond > 0) || !(burst >= 1)) throw new Error("token bucket needs ratePerSecond > 0 and burst >= 1");
  let tokens = burst;
  let last = clock.now();
  let blocked = 0;

  function refill(now: number): void {
    if (now > last) tokens = Math.min(burst, tokens + ((now - last) * ratePerSecond) / 1000);
    last = now;
  }

  return {
    tryTake() {
      const now = clock.now();
      if (now < blocked) return blocked - now;
      refill(now);
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil(((1 - tokens) * 1000) / ratePerSecond));
    },
    owingWaitMs(maxDebt) {
      const now = clock.now();
      if (now < blocked) return blocked - now;
      refill(now);
      if (tokens - 1 >= -maxDebt) return 0;
      return Math.max(1, Math.ceil(((1 - maxDebt - tokens) * 1000) / ratePerSecond));
    },
    owe() {
      refill(clock.now());
      tokens -= 1;
    },
    blockUntil(until) {
      blocked = Math.max(blocked, until);
    },
    blockedUntil() {
      return blocked > clock.now() ? blocked : 0;
    },
    canTake() {
      const now = clock.now();
      if (now < blocked) return false;
      refill(now);
      return tokens >= 1;
    },
    setRate(r, b) {
      if (!(r > 0) || !(b >= 1)) throw new Error("token bucket needs ratePerSecond > 0 and burst >= 1");
      refill(clock.now());
      ratePerSecond = r;
      burst = b;
      tokens = Math.min(tokens, burst);
    },
    rate: () => ratePerSecond,
  };
}
