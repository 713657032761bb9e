import type { ClaimedOp } from "../types.js";

/**
 * An op this process holds a lease on, from its claim until the store call that ends the
 * attempt (finish or release): executing, or claimed ahead and queued for a slot (prefetch). The lease renewer renews exactly these; stop() releases what is
 * left of them.
 */
export interface HeldOp {
  claimed: ClaimedOp;
  /** The attempt's abort controller (built on first use: most attempts never abort nor look). */
  readonly controller: AbortController;
  /** Why the signal was aborted, if it was. */
  abortReason: "lease" | "shutdown" | null;
  /** Our last known lease expiry. */
  leaseUntil: number;
  /** The store call that ends the attempt is under way: a renewal that misses it is expected. */
  ending: boolean;
  /** Its work is out (a transaction sent) and it only waits for a verdict: it holds no slot. */
  awaitingVerdict: boolean;
}

/** A class, not an object literal with a getter: ten thousand in flight share one shape. */
class Held implements HeldOp {
  abortReason: "lease" | "shutdown" | null = null;
  ending = false;
  awaitingVerdict = false;
  private abort: AbortController | null = null;

  constructor(
    readonly claimed: ClaimedOp,
    public leaseUntil: number,
  ) {}

  get controller(): AbortController {
    this.abort ??= new AbortController();
    return this.abort;
  }
}

export function createHeldOp(claimed: ClaimedOp, leaseUntil: number): HeldOp {
  return new Held(claimed, leaseUntil);
}
