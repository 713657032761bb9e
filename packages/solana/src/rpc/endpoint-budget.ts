/**
 * An endpoint's request budget: how many requests per second Courier lets itself send there,
 * in total and, where the endpoint limits a method on its own, per method.
 *
 * Fixed (`COURIER_RPC_RATE=N`): one token bucket of N/s; a 429 only blocks until Retry-After.
 * Auto (the default), learned the way TCP finds a link's capacity:
 * - slow start: while callers run out of tokens and no 429 came back, the rate doubles once per
 *   round trip (the endpoint's smoothed answer time, 20–250 ms; from 200/s, up to 100,000/s), as
 *   TCP's window doubles per acknowledged round: a fast endpoint without limits reaches a
 *   thousands-per-second rate within a tenth of a second and is never the bottleneck, while a
 *   limited one has its first 429 back before the rate has doubled again;
 * - a 429 at a new (or lower) level cuts sharply: to 0.7 × what was actually granted over the
 *   last second, counting only the time no Retry-After blocked the scope, and never above 0.95 ×
 *   what the endpoint accepted over it (a rate above that draws the next 429, and the sends it
 *   refused would wait out a second Retry-After). At most one cut a
 *   second (the answers already on their way report the same overload), and every request of the
 *   scope waits out Retry-After;
 * - the level the endpoint accepted (its answers that were not 429 over that second) becomes the
 *   known limit. The rate climbs back to 0.95 × it within about 2 s and cruises there, sent
 *   evenly (a burst of 50 ms instead of 250 ms, so a fixed counting window never sees more than
 *   the limit). A 429 while pacing near the known limit cuts only to the cruise level;
 * - after 10 s of cruising it probes above the limit at +1 %/s (a provider may allow more), so a
 *   429, whose Retry-After stops the scope for up to a whole counting window, comes rarely;
 * - after 30 s without a 429 it slow-starts again.
 * Scope of a 429: when another method was answered fine within the last second, the endpoint
 * limits this method on its own (public endpoints and paid plans often limit sendTransaction
 * separately), so only that method's budget is cut; otherwise the endpoint's total is.
 *
 * Admission: `reserve(method)` takes a token now and keeps it as a credit for the admitted
 * request (`tryTake(method, true)`), so an op is signed only once its send fits the budget and
 * its first send does not queue behind other traffic. A reserved send refused by a 429 keeps its
 * place (`refund`): once the block ends it goes before anything new is admitted, and takes its
 * token again in the new counting window.
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
  /** Growth interval: in slow start, one round trip clamped to [minGrowEveryMs, growEveryMs]. */
  growEveryMs: 250,
  minGrowEveryMs: 20,
  /** Weight of a new answer time in the smoothed round trip (TCP's 1/8). */
  rttGain: 0.125,
  /** Multiplicative decrease on a 429 at a new level. */
  cutFactor: 0.7,
  /** One cut per this long: later 429s were already in flight. */
  cutHoldMs: 1_000,
  /** Pace at this share of the known limit. */
  cruiseShare: 0.95,
  /** A 429 with at least this share of the known limit accepted is the same limit again. */
  sameLimitShare: 0.8,
  /** Climb back to the cruise level by this share of the known limit per growEveryMs. */
  recoverShare: 0.04,
  /** Cruise this long after a 429 before probing above the known limit. */
  probeAfterMs: 10_000,
  /** Probe by this share of the known limit per growEveryMs (1 %/s). */
  probeShare: 0.0025,
  /** Burst, in seconds of the rate, once a limit is known: even pacing. */
  limitedBurstSeconds: 0.05,
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
  /** The endpoint answered (anything but a 429); `latencyMs` once per request (a batch's entries share one). */
  onAnswered(method: string, latencyMs?: number): void;
  onRateLimited(method: string, retryAfterMs: number): void;
  /** A reserved request was refused unread (429): keep its reservation for the retry. */
  refund(method: string): void;
  /** Epoch ms until which the whole endpoint is blocked by Retry-After (0 when not). */
  blockedUntil(): number;
  /** Ms until a `method` request may go (Retry-After on the endpoint or the method), 0 when now. */
  blockedMs(method: string): number;
  /** Give back the newest unused reservation of `method` (its transaction was dropped unsent); false when none is held. */
  unreserve(method: string): boolean;
  snapshot(): BudgetSnapshot;
}

interface Limiter {
  bucket: TokenBucket;
  meter: RateMeter;
  lastGrowAt: number;
  lastCutAt: number;
  /** Answered requests (not 429) per second when the last 429 came: the known limit; 0 before any. */
  limit: number;
  /** Answers that were not 429, counted like `meter`. */
  answered: RateMeter;
  /** When the last Retry-After block of this scope ended (what the granted rate is counted over). */
  lastBlockEnd: number;
}

export function createEndpointBudget(opts: { rate: RpcRate; clock: Clock; burst?: number }): EndpointBudget {
  const { clock } = opts;
  const auto = opts.rate === "auto";
  const a = AUTO_RATE;
  const burstOf = (rps: number) => Math.max(1, rps * a.burstSeconds);
  const newLimiter = (rps: number, burst = burstOf(rps)): Limiter => ({
    bucket: createTokenBucket({ ratePerSecond: rps, burst, clock }),
    meter: createRateMeter(clock),
    lastGrowAt: Number.NEGATIVE_INFINITY,
    lastCutAt: Number.NEGATIVE_INFINITY,
    limit: 0,
    answered: createRateMeter(clock),
    lastBlockEnd: Number.NEGATIVE_INFINITY,
  });
  const fixedRps = opts.rate === "auto" ? a.initialRps : opts.rate;
  const total = auto ? newLimiter(a.initialRps) : newLimiter(fixedRps, opts.burst ?? Math.max(1, 2 * fixedRps));
  const methods = new Map<string, Limiter>();
  const meters = new Map<string, RateMeter>();
  const answeredMeters = new Map<string, RateMeter>();
  const lastAnswered = new Map<string, number>();
  const credits = new Map<string, number[]>();
  const refunds = new Map<string, number[]>();
  /** Smoothed answer time in ms (null before the first timed answer). */
  let srtt: number | null = null;

  function setRate(l: Limiter, rps: number): void {
    const r = Math.min(a.maxRps, Math.max(a.minRps, rps));
    l.bucket.setRate(r, l.limit > 0 ? Math.max(2, r * a.limitedBurstSeconds) : burstOf(r));
  }

  /** A caller found no token: grow if nothing said we are over the limit. */
  function onStarved(l: Limiter, now: number): void {
    if (!auto) return;
    const slowStart = l.limit === 0 || now - l.lastCutAt >= a.slowStartAfterMs;
    const interval = slowStart && srtt !== null ? Math.min(a.growEveryMs, Math.max(a.minGrowEveryMs, srtt)) : a.growEveryMs;
    if (now - l.lastGrowAt < interval) return;
    if (now - l.lastCutAt >= a.slowStartAfterMs) l.limit = 0;
    const rps = l.bucket.rate();
    const cruise = l.limit * a.cruiseShare;
    if (l.limit === 0) setRate(l, rps * 2);
    else if (rps < cruise) setRate(l, Math.min(cruise, rps + l.limit * a.recoverShare));
    else if (now - l.lastCutAt >= a.probeAfterMs) setRate(l, rps + l.limit * a.probeShare);
    l.lastGrowAt = now;
  }

  function cut(l: Limiter, now: number, retryAfterMs: number): void {
    const blockedBefore = l.bucket.blockedUntil();
    if (blockedBefore > 0) l.lastBlockEnd = blockedBefore;
    const until = now + Math.max(a.minBlockMs, retryAfterMs);
    l.bucket.blockUntil(until);
    if (!auto || now - l.lastCutAt < a.cutHoldMs) {
      l.lastBlockEnd = Math.max(l.lastBlockEnd, until);
      return;
    }
    // Rates over the last second, counted over the part of it that Retry-After did not block.
    const openMs = Math.min(1_000, Math.max(250, now - l.lastBlockEnd));
    const granted = Math.max(1, (l.meter.perSecond() * 1_000) / openMs);
    const accepted = Math.max(a.minRps, (l.answered.perSecond() * 1_000) / openMs);
    const rate = Math.min(l.bucket.rate(), granted);
    if (l.limit > 0 && (openMs < 1_000 || accepted >= l.limit * a.sameLimitShare)) {
      // The known limit again (a second cut by a block is too short to measure a new one).
      if (openMs >= 1_000) l.limit = accepted;
      setRate(l, Math.min(rate, l.limit * a.cruiseShare));
    } else {
      l.limit = accepted;
      // Sharp, and never above what the endpoint just showed it accepts.
      setRate(l, Math.min(rate * a.cutFactor, accepted * a.cruiseShare));
    }
    l.lastCutAt = now;
    l.lastBlockEnd = until;
  }

  /** The meter of `method` in `of` (granted or answered), made on first use. */
  function meterIn(of: Map<string, RateMeter>, method: string): RateMeter {
    let m = of.get(method);
    if (!m) {
      m = createRateMeter(clock);
      of.set(method, m);
    }
    return m;
  }
  const meterOf = (method: string) => meterIn(meters, method);
  const answeredOf = (method: string) => meterIn(answeredMeters, method);

  function live(list: number[] | undefined, now: number): number {
    if (!list) return 0;
    while (list.length > 0 && (list[0] ?? 0) < now) list.shift();
    return list.length;
  }

  /**
   * A send refused by a 429 goes out again after the block, ahead of new admissions, and spends
   * the new counting window's budget again: it takes its token at once, owing up to a second of
   * the rate, so what is admitted after it waits until the debt is paid back. Without this, the
   * refused sends and a bucket's worth of new ones share one window and draw a second 429, and a
   * transaction signed before it waits out two Retry-Afters. Null when no refused send is held.
   */
  function takeRefunded(method: string, now: number): number | null {
    const refunded = refunds.get(method);
    if (live(refunded, now) === 0) return null;
    const own = methods.get(method);
    const wait = Math.max(total.bucket.owingWaitMs(total.bucket.rate()), own ? own.bucket.owingWaitMs(own.bucket.rate()) : 0);
    if (wait > 0) return wait;
    refunded?.shift();
    total.bucket.owe();
    total.meter.mark();
    own?.bucket.owe();
    meterOf(method).mark();
    return 0;
  }

  function takeCredit(method: string, now: number): boolean {
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
      if (!reserved) return take(method);
      // Refused sends first: they are signed and waiting.
      const refunded = takeRefunded(method, now);
      if (refunded !== null) return refunded;
      return takeCredit(method, now) ? 0 : take(method);
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
    onAnswered(method, latencyMs) {
      if (latencyMs !== undefined) srtt = srtt === null ? latencyMs : srtt + a.rttGain * (latencyMs - srtt);
      lastAnswered.set(method, clock.now());
      total.answered.mark();
      answeredOf(method).mark();
    },
    onRateLimited(method, retryAfterMs) {
      const now = clock.now();
      const othersFine = [...lastAnswered].some(([m, t]) => m !== method && now - t < a.perMethodEvidenceMs);
      if (auto && othersFine) {
        let own = methods.get(method);
        if (!own) {
          own = newLimiter(Math.max(a.minRps, meterOf(method).perSecond()));
          own.meter = meterOf(method);
          own.answered = answeredOf(method);
          methods.set(method, own);
        }
        cut(own, now, retryAfterMs);
        return;
      }
      cut(total, now, retryAfterMs);
    },
    blockedUntil: () => total.bucket.blockedUntil(),
    blockedMs(method) {
      const until = Math.max(total.bucket.blockedUntil(), methods.get(method)?.bucket.blockedUntil() ?? 0);
      return Math.max(0, until - clock.now());
    },
    unreserve(method) {
      return credits.get(method)?.pop() !== undefined;
    },
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
