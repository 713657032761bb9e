/**
 * Circuit breaker per endpoint.
 *
 *   closed ──(failureThreshold consecutive infra failures)──▶ open
 *   open ──(openMs elapsed)──▶ half_open: at most `halfOpenProbes` requests go through
 *   half_open ──(a probe succeeds)──▶ closed (open interval back to openMs)
 *   half_open ──(a probe fails)──▶ open, for twice the previous interval (capped at maxOpenMs)
 *
 * Only infrastructure failures count (refused/reset connections, timeouts, 5xx). Any real
 * answer from the node (including a JSON-RPC error or a 429) proves it is up and counts as a
 * success. The transition open → half_open happens inside `tryAcquire`, so whoever asks first
 * after the interval (a call or the health loop) is the probe: there is no separate prober
 * hitting a dead endpoint.
 */
import type { Clock } from "@courier/agent";
import type { CircuitState } from "./types.js";

export interface BreakerOptions {
  failureThreshold: number;
  openMs: number;
  maxOpenMs: number;
  halfOpenProbes: number;
}

export const DEFAULT_BREAKER_OPTIONS = {
  failureThreshold: 5,
  openMs: 500,
  maxOpenMs: 4_000,
  halfOpenProbes: 1,
} as const satisfies BreakerOptions;

export interface CircuitBreaker {
  state(): CircuitState;
  /** Whether a request may go now (open and due counts as yes); does not change state. */
  canRequest(): boolean;
  /** Ask to send one request; true means go (and, in half_open, one probe is used up). */
  tryAcquire(): boolean;
  onSuccess(): void;
  onFailure(): void;
  /** Epoch ms when the circuit first opened in the current outage (null when closed). */
  downSince(): number | null;
  /** Epoch ms when an open circuit becomes due for a probe (null unless open). */
  openUntil(): number | null;
}

export function createCircuitBreaker(opts: BreakerOptions & { clock: Clock; onTransition?: (from: CircuitState, to: CircuitState) => void }): CircuitBreaker {
  const { clock } = opts;
  assertBreakerOptions(opts);
  let state: CircuitState = "closed";
  let failures = 0;
  let interval: number = opts.openMs;
  let until = 0;
  let probesLeft = 0;
  let since: number | null = null;

  function move(to: CircuitState): void {
    if (to === state) return;
    const from = state;
    state = to;
    opts.onTransition?.(from, to);
  }

  function open(): void {
    until = clock.now() + interval;
    since ??= clock.now();
    move("open");
  }

  return {
    state: () => state,
    canRequest() {
      if (state === "closed") return true;
      if (state === "open") return clock.now() >= until;
      return probesLeft > 0;
    },
    tryAcquire() {
      if (state === "closed") return true;
      if (state === "open") {
        if (clock.now() < until) return false;
        probesLeft = opts.halfOpenProbes;
        move("half_open");
      }
      if (probesLeft <= 0) return false;
      probesLeft -= 1;
      return true;
    },
    onSuccess() {
      failures = 0;
      if (state === "closed") return;
      interval = opts.openMs;
      since = null;
      move("closed");
    },
    onFailure() {
      if (state === "half_open") {
        interval = Math.min(interval * 2, opts.maxOpenMs);
        open();
        return;
      }
      // A late failure of a request sent before the circuit opened: the interval stands.
      if (state === "open") return;
      failures += 1;
      if (failures >= opts.failureThreshold) {
        interval = opts.openMs;
        open();
      }
    },
    downSince: () => since,
    openUntil: () => (state === "open" ? until : null),
  };
}

function assertBreakerOptions(o: BreakerOptions): void {
  const ok = o.failureThreshold >= 1 && o.openMs > 0 && o.maxOpenMs >= o.openMs && o.halfOpenProbes >= 1;
  if (!ok) throw new Error("breaker needs failureThreshold >= 1, openMs > 0, maxOpenMs >= openMs, halfOpenProbes >= 1");
}

/**
 * The most requests a dead endpoint can receive in `windowMs` measured from its first failure:
 * `failureThreshold` failures to open it (plus `concurrency - 1` requests already in flight when
 * it opened), then `halfOpenProbes` per open interval, the intervals being openMs, 2·openMs, …
 * capped at maxOpenMs. The health loop goes through the same breaker, so it is included.
 * (Request timeouts lengthen the real intervals, so this is an upper bound.)
 */
export function getProbeBudget(o: BreakerOptions, windowMs: number, concurrency = 1): number {
  let probes = 0;
  let t = 0;
  let interval = o.openMs;
  for (;;) {
    t += interval;
    if (t > windowMs) break;
    probes += o.halfOpenProbes;
    interval = Math.min(interval * 2, o.maxOpenMs);
  }
  return o.failureThreshold + Math.max(0, concurrency - 1) + probes;
}
