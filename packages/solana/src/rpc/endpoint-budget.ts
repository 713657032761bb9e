/**
 * An endpoint's request budget: how many requests per second Courier lets itself send there,
 * in total and, where the endpoint limits a method on its own, per method.
 *
 * Fixed (`COURIER_RPC_RATE=N`): one token bucket of N/s; a 429 only blocks until Retry-After.
 * Auto (the default), learned the way TCP finds a link's capacity (AIMD):
 * - slow start: while callers run out of tokens and no 429 came back, the rate doubles every
 *   250 ms (from 200/s, up to 100,000/s), so an endpoint without limits is never the bottleneck;
 * - on a 429 the rate is cut to 0.7 × what was actually granted over the last second, at most
 *   once a second (the answers already on their way report the same overload), every request of
 *   that scope waits out Retry-After, and growth turns additive (about +5 %/s);
 * - after 30 s without a 429 it may slow-start again (a provider may have raised the limit).
 * Scope of a 429: when another method was answered fine within the last second, the endpoint
 * limits this method on its own (public endpoints and paid plans often limit sendTransaction
 * separately), so only that method's budget is cut; otherwise the endpoint's total is.
 *
 * Admission: `reserve(method)` takes a token now and keeps it as a credit for the admitted
 * request (`tryTake(method, true)`), so an op is signed only once its send fits the budget and
 * its first send does not queue behind other traffic.
 */
import type { Clock } from "@courier/agent";
import { createRateMeter, type RateMeter } from "./rate-meter.js";
import { createTokenBucket, type TokenBucket } from "./token-bucket.js";

export type RpcRate = "auto" | number;

export const AUTO_RATE = {
  initialRps: 200,
  maxRps: 100_000,
  minRps: 0.2,
  /** A burst is this many seconds of the rate. */
  burstSeconds: 0.25,
  growEveryMs: 250,
  /** Multiplicative decrease on a 429. */
  cutFactor: 0.7,
  /** One cut per this long: later 429s were already in flight. */
  cutHoldMs: 1_000,
  /** Additive growth per growEveryMs, as a share of the rate. */
  additiveShare: 0.0125,
  /** Without a 429 this long, slow start again. */
  slowStartAfterMs: 30_000,
  /** Another method answered this recently: the 429 is about this method only. */
  perMethodEvidenceMs: 1_000,
  /** A Retry-After of 0 (or missing, see the transport) still waits this long. */
  minBlockMs: 200,
  /** A credit unused this long is dropped (its op never sent). */
  creditTtlMs: 2_000,
} as const;

/** How often an admission re-checks while refused sends wait to go out again. */
const REFUND_WAIT_MS = 50;

export interface BudgetSnapshot {
  mode: "auto" | "fixed";
  /** Requests per second allowed to the endpoint in total. */
  rps: number;
  /** Methods with a budget of their own (learned from 429s), requests per second. */
  methods: Record<string, number>;
  /** Epoch ms until which Retry-After blocks the endpoint (null when not blocked). */
  blocked_until: number | null;
}

export interface EndpointBudget {
  /** Take one request of `method` now (a reserved one first when `reserved`): 0, or the ms until one could be taken. */
  tryTake(method: string, reserved?: boolean): number;
  /** Take one request now and keep it for the next `method` request (admission): 0, or the ms to wait. */
  reserve(method: string): number;
  /** The endpoint answered (anything but a 429). */
  onAnswered(method: string): void;
  onRateLimited(method: string, retryAfterMs: number): void;
  /** A reserved request was refused unread (429): keep its reservation for the retry. */
  refund(method: string): void;
  /** Epoch ms until which the whole endpoint is blocked by Retry-After (0 when not). */
  blockedUntil(): number;
  snapshot(): BudgetSnapshot;
}

interface Limiter {
  bucket: TokenBucket;
  meter: RateMeter;
  ssthresh: number;
  lastGrowAt: number;
  lastCutAt: number;
}

export function createEndpointBudget(opts: { rate: RpcRate; clock: Clock; burst?: number }): EndpointBudget {
  const { clock } = opts;
  const auto = opts.rate === "auto";
  const a = AUTO_RATE;
  const burstOf = (rps: number) => Math.max(1, rps * a.burstSeconds);
  const newLimiter = (rps: number, burst = burstOf(rps)): Limiter => ({
    bucket: createTokenBucket({ ratePerSecond: rps, burst, clock }),
    meter: createRateMeter(clock),
    ssthresh: Number.POSITIVE_INFINITY,
    lastGrowAt: Number.NEGATIVE_INFINITY,
    lastCutAt: Number.NEGATIVE_INFINITY,
  });
  const fixedRps = opts.rate === "auto" ? a.initialRps : opts.rate;
  const total = auto ? newLimiter(a.initialRps) : newLimiter(fixedRps, opts.burst ?? Math.max(1, 2 * fixedRps));
  const methods = new Map<string, Limiter>();
  const meters = new Map<string, RateMeter>();
  const lastAnswered = new Map<string, number>();
  const credits = new Map<string, number[]>();
  const refunds = new Map<string, number[]>();

  function setRate(l: Limiter, rps: number): void {
    const r = Math.min(a.maxRps, Math.max(a.minRps, rps));
    l.bucket.setRate(r, burstOf(r));
  }

  /** A caller found no token: grow if nothing said we are over the limit. */
  function onStarved(l: Limiter, now: number): void {
    if (!auto || now - l.lastCutAt < a.cutHoldMs || now - l.lastGrowAt < a.growEveryMs) return;
    if (now - l.lastCutAt >= a.slowStartAfterMs) l.ssthresh = Number.POSITIVE_INFINITY;
    const rps = l.bucket.rate();
    setRate(l, rps < l.ssthresh ? rps * 2 : rps + Math.max(a.minRps / 4, rps * a.additiveShare));
    l.lastGrowAt = now;
  }

  function cut(l: Limiter, now: number, retryAfterMs: number): void {
    l.bucket.blockUntil(now + Math.max(a.minBlockMs, retryAfterMs));
    if (!auto || now - l.lastCutAt < a.cutHoldMs) return;
    const granted = Math.max(1, l.meter.perSecond());
    setRate(l, Math.min(l.bucket.rate(), granted) * a.cutFactor);
    l.ssthresh = l.bucket.rate();
    l.lastCutAt = now;
  }

  function meterOf(method: string): RateMeter {
    let m = meters.get(method);
    if (!m) {
      m = createRateMeter(clock);
      meters.set(method, m);
    }
    return m;
  }

  function live(list: number[] | undefined, now: number): number {
    if (!list) return 0;
    while (list.length > 0 && (list[0] ?? 0) < now) list.shift();
    return list.length;
  }

  function takeCredit(method: string, now: number): boolean {
    // Refused sends first: they are signed and waiting.
    const refunded = refunds.get(method);
    if (live(refunded, now) > 0) {
      refunded?.shift();
      return true;
    }
    const list = credits.get(method);
    if (!list) return false;
    while (list.length > 0 && (list[0] ?? 0) < now) list.shift();
    if (list.length === 0) return false;
    list.shift();
    return true;
  }

  function take(method: string): number {
    const now = clock.now();
    const own = methods.get(method);
    const blocked = Math.max(total.bucket.blockedUntil(), own?.bucket.blockedUntil() ?? 0);
    if (blocked > now) return blocked - now;
    if (!total.bucket.canTake() || (own && !own.bucket.canTake())) {
      const waits = [total.bucket.canTake() ? 0 : total.bucket.tryTake(), own && !own.bucket.canTake() ? own.bucket.tryTake() : 0];
      if (waits[0]) onStarved(total, now);
      if (own && waits[1]) onStarved(own, now);
      return Math.max(1, ...waits);
    }
    total.bucket.tryTake();
    total.meter.mark();
    own?.bucket.tryTake();
    // A method's own limiter shares this meter.
    meterOf(method).mark();
    return 0;
  }

  return {
    tryTake(method, reserved = false) {
      const now = clock.now();
      // Retry-After holds for reserved requests too.
      const blocked = Math.max(total.bucket.blockedUntil(), methods.get(method)?.bucket.blockedUntil() ?? 0);
      if (blocked > now) return blocked - now;
      if (reserved && takeCredit(method, now)) return 0;
      return take(method);
    },
    refund(method) {
      const list = refunds.get(method) ?? [];
      list.push(clock.now() + a.creditTtlMs);
      refunds.set(method, list);
    },
    reserve(method) {
      // Sends refused by a 429 go out before anything new is signed.
      if (live(refunds.get(method), clock.now()) > 0) return REFUND_WAIT_MS;
      const wait = take(method);
      if (wait === 0) {
        const list = credits.get(method) ?? [];
        list.push(clock.now() + a.creditTtlMs);
        credits.set(method, list);
      }
      return wait;
    },
    onAnswered(method) {
      lastAnswered.set(method, clock.now());
    },
    onRateLimited(method, retryAfterMs) {
      const now = clock.now();
      const othersFine = [...lastAnswered].some(([m, t]) => m !== method && now - t < a.perMethodEvidenceMs);
      if (auto && othersFine) {
        let own = methods.get(method);
        if (!own) {
          own = newLimiter(Math.max(a.minRps, meterOf(method).perSecond()));
          own.meter = meterOf(method);
          methods.set(method, own);
        }
        cut(own, now, retryAfterMs);
        return;
      }
      cut(total, now, retryAfterMs);
    },
    blockedUntil: () => total.bucket.blockedUntil(),
    snapshot() {
      const blocked = total.bucket.blockedUntil();
      return {
        mode: auto ? "auto" : "fixed",
        rps: round(total.bucket.rate()),
        methods: Object.fromEntries([...methods].map(([m, l]) => [m, round(l.bucket.rate())])),
        blocked_until: blocked > 0 ? blocked : null,
      };
    },
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
