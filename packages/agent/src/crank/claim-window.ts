/**
 * Claim-window sizing: how many ops the crank may claim now.
 *
 * The crank holds ops in three states: queued (claimed, waiting for a slot: the prefetch),
 * working (in one of `concurrency` slots: building, signing, sending) and awaiting a verdict
 * (sent; no slot, polled by the shared status poller). Working + queued is bounded by
 * concurrency + prefetch; everything held by maxInFlight. A claim takes up to
 * min(batchSize, room), and only once the room is at least half of `prefetch` (or a slot would
 * sit idle): one claim commit serves many attempts.
 */
export interface ClaimWindowConfig {
  concurrency: number;
  batchSize: number;
  /** Claimed-but-not-started ops held beyond the slots (default min(batchSize, max(concurrency × 4, 64))). */
  prefetch?: number;
  /** Ops held at most, awaiting ones included (default max(10,240, concurrency × 64)). */
  maxInFlight?: number;
}

export interface ClaimWindow {
  readonly prefetch: number;
  readonly maxInFlight: number;
  /** Room for claims now, given how many ops are held. */
  free(held: number): number;
  /** Worth a claim now: enough room for a useful batch, or a slot would sit idle. */
  shouldClaim(held: number): boolean;
  /** Count `n` ops as claimed before the claim's await, so overlapping ticks never over-claim. */
  reserve(n: number): void;
  unreserve(n: number): void;
  /** A held op gave its slot back and awaits its verdict / an awaiting op stopped being held. */
  startAwaiting(): void;
  stopAwaiting(): void;
}

export function createClaimWindow(c: ClaimWindowConfig): ClaimWindow {
  const prefetch = Math.min(c.batchSize, Math.max(0, Math.floor(c.prefetch ?? Math.max(c.concurrency * 4, 64))));
  const capacity = c.concurrency + prefetch;
  const maxInFlight = Math.max(capacity, Math.floor(c.maxInFlight ?? Math.max(10_240, c.concurrency * 64)));
  const refillAt = Math.max(1, Math.ceil(prefetch / 2));
  let reserved = 0;
  let awaiting = 0;

  function free(held: number): number {
    const working = held - awaiting;
    return Math.max(0, Math.min(capacity - working - reserved, maxInFlight - held - reserved));
  }

  return {
    prefetch,
    maxInFlight,
    free,
    shouldClaim(held) {
      const room = free(held);
      return room > 0 && (room >= refillAt || held - awaiting + reserved < c.concurrency);
    },
    reserve(n) {
      reserved += n;
    },
    unreserve(n) {
      reserved -= n;
    },
    startAwaiting() {
      awaiting++;
    },
    stopAwaiting() {
      awaiting--;
    },
  };
}
