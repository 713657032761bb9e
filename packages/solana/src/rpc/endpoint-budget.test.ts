import { ManualClock } from "@courier/agent";
import { describe, expect, it } from "vitest";
import { AUTO_RATE, createEndpointBudget, type EndpointBudget } from "./endpoint-budget.js";

/**
 * An endpoint that allows `limits[method] ?? limits.total` requests per 1 s window (the windows
 * start `windowOffsetMs` into the run); its answers reach the budget `latencyMs` after the request.
 */
function simulate(opts: {
  budget: EndpointBudget;
  clock: ManualClock;
  seconds: number;
  /** Requests wanted per 10 ms step, by method (fractions: one every 1/n steps). */
  demand: Record<string, number>;
  total?: number;
  perMethod?: Record<string, number>;
  retryAfterMs?: number;
  windowOffsetMs?: number;
  latencyMs?: number;
}): { granted: Record<string, number>; refused: number; sent: number } {
  const granted: Record<string, number> = {};
  let refused = 0;
  let sent = 0;
  const usedInWindow: Record<string, number> = {};
  const offsetSteps = Math.round((opts.windowOffsetMs ?? 0) / 10);
  const pending: Array<{ at: number; deliver: () => void }> = [];
  for (let step = 0; step < opts.seconds * 100; step++) {
    for (let i = pending.length - 1; i >= 0; i--) {
      const p = pending[i];
      if (p && p.at <= step) {
        pending.splice(i, 1);
        p.deliver();
      }
    }
    const inWindow = (((step - offsetSteps) % 100) + 100) % 100;
    if (inWindow === 0) for (const k of Object.keys(usedInWindow)) delete usedInWindow[k];
    for (const [method, rate] of Object.entries(opts.demand)) {
      const n = Math.floor((step + 1) * rate) - Math.floor(step * rate);
      for (let i = 0; i < n; i++) {
        if (opts.budget.tryTake(method) !== 0) break;
        sent++;
        const totalUsed = Object.values(usedInWindow).reduce((a, b) => a + b, 0);
        const methodLimit = opts.perMethod?.[method];
        const answer = (deliver: () => void) => (opts.latencyMs ? pending.push({ at: step + Math.round(opts.latencyMs / 10), deliver }) : deliver());
        if ((opts.total !== undefined && totalUsed >= opts.total) || (methodLimit !== undefined && (usedInWindow[method] ?? 0) >= methodLimit)) {
          refused++;
          const retryAfter = opts.retryAfterMs ?? Math.max(1, Math.ceil((1_000 - inWindow * 10) / 1_000)) * 1_000;
          answer(() => opts.budget.onRateLimited(method, retryAfter));
          continue;
        }
        usedInWindow[method] = (usedInWindow[method] ?? 0) + 1;
        granted[method] = (granted[method] ?? 0) + 1;
        answer(() => opts.budget.onAnswered(method, opts.latencyMs ?? 0));
      }
    }
    opts.clock.advance(10);
  }
  return { granted, refused, sent };
}
describe("endpoint budget (auto)", () => {
  it("on an endpoint without limits it grows past what the localnet takes within 2 s", () => {
    const clock = new ManualClock();
    const budget = createEndpointBudget({ rate: "auto", clock });
    const r = simulate({ budget, clock, seconds: 2, demand: { sendTransaction: 200 } });
    expect(r.refused).toBe(0);
    expect(budget.snapshot().rps).toBeGreaterThanOrEqual(2_000);
    // The second second alone granted more than the localnet's unbatched ceiling (~800/s).
    expect(r.granted.sendTransaction ?? 0).toBeGreaterThan(1_500);
  });

  it("in slow start it doubles once per round trip: past 1,600/s within 0.2 s when answers take 10 ms, 250 ms steps when they take 300 ms", () => {
    const fast = new ManualClock();
    const quick = createEndpointBudget({ rate: "auto", clock: fast });
    const r = simulate({ budget: quick, clock: fast, seconds: 0.2, demand: { sendTransaction: 200 }, latencyMs: 10 });
    expect(r.refused).toBe(0);
    expect(quick.snapshot().rps).toBeGreaterThanOrEqual(1_600);
    // A slow endpoint: growth waits for its answers, never faster than every 250 ms.
    const slow = new ManualClock();
    const patient = createEndpointBudget({ rate: "auto", clock: slow });
    simulate({ budget: patient, clock: slow, seconds: 0.6, demand: { sendTransaction: 200 }, latencyMs: 300 });
    expect(patient.snapshot().rps).toBeLessThanOrEqual(AUTO_RATE.initialRps * 2 ** 3);
    expect(patient.snapshot().rps).toBeGreaterThan(AUTO_RATE.initialRps);
  });

  it("learns a 20 req/s limit: ≥ 0.85× of it granted, 429s ≤ 5 % of requests over a minute", () => {
    const clock = new ManualClock();
    const budget = createEndpointBudget({ rate: "auto", clock });
    const r = simulate({ budget, clock, seconds: 60, demand: { getBalance: 5 }, total: 20 });
    const perSecond = (r.granted.getBalance ?? 0) / 60;
    console.log(`20 req/s limit: ${perSecond.toFixed(1)}/s granted, ${r.refused} of ${r.sent} refused, rate ${budget.snapshot().rps}`);
    expect(perSecond).toBeGreaterThanOrEqual(17);
    expect(perSecond).toBeLessThanOrEqual(20);
    expect(r.refused / r.sent).toBeLessThanOrEqual(0.05);
    expect(budget.snapshot().rps).toBeLessThan(40);
  });

  it("a method limited on its own gets its own budget; the endpoint total is not cut", () => {
    const clock = new ManualClock();
    const budget = createEndpointBudget({ rate: "auto", clock });
    const r = simulate({ budget, clock, seconds: 30, demand: { getSignatureStatuses: 1, sendTransaction: 5 }, total: 1_000, perMethod: { sendTransaction: 20 } });
    const snap = budget.snapshot();
    expect(snap.methods.sendTransaction).toBeLessThan(30);
    expect(snap.rps).toBeGreaterThanOrEqual(AUTO_RATE.initialRps);
    expect((r.granted.sendTransaction ?? 0) / 30).toBeGreaterThanOrEqual(14);
    // The other method kept its full rate: 1 per 10 ms step.
    expect(r.granted.getSignatureStatuses).toBeGreaterThanOrEqual(2_900);
  });

  it("the benchmark's endpoint (50/s, sendTransaction 20/s, whole-second Retry-After, 20 ms answers): ≥ 0.85× of 20/s sent", () => {
    for (const windowOffsetMs of [0, 370, 730]) {
      const clock = new ManualClock();
      const budget = createEndpointBudget({ rate: "auto", clock });
      const r = simulate({
        budget,
        clock,
        seconds: 30,
        demand: { getSignatureStatuses: 0.03, getLatestBlockhash: 0.01, sendTransaction: 5 },
        total: 50,
        perMethod: { sendTransaction: 20 },
        windowOffsetMs,
        latencyMs: 20,
      });
      const perSecond = (r.granted.sendTransaction ?? 0) / 30;
      console.log(`offset ${windowOffsetMs}: sendTransaction ${perSecond.toFixed(1)}/s, ${r.refused} of ${r.sent} refused, ${JSON.stringify(budget.snapshot())}`);
      expect(perSecond).toBeGreaterThanOrEqual(17);
      expect(r.refused / r.sent).toBeLessThanOrEqual(0.05);
    }
  });

  it("honours Retry-After: nothing is granted to the refused scope before it ends", () => {
    const clock = new ManualClock();
    const budget = createEndpointBudget({ rate: "auto", clock });
    expect(budget.tryTake("getSlot")).toBe(0);
    budget.onRateLimited("getSlot", 5_000);
    expect(budget.tryTake("getSlot")).toBe(5_000);
    expect(budget.blockedUntil()).toBe(clock.now() + 5_000);
    clock.advance(4_999);
    expect(budget.tryTake("getBalance")).toBe(1);
    clock.advance(1);
    expect(budget.tryTake("getSlot")).toBe(0);
  });

  it("a 429 without Retry-After (0) still waits a little: no hammering", () => {
    const clock = new ManualClock();
    const budget = createEndpointBudget({ rate: "auto", clock });
    budget.onRateLimited("getSlot", 0);
    expect(budget.tryTake("getSlot")).toBe(AUTO_RATE.minBlockMs);
  });

  it("reserve() keeps the request for the next one of that method", () => {
    const clock = new ManualClock();
    const budget = createEndpointBudget({ rate: 1, clock, burst: 1 });
    expect(budget.reserve("sendTransaction")).toBe(0);
    // The bucket is empty, but the reserved request is there for the send.
    expect(budget.tryTake("getSlot")).toBeGreaterThan(0);
    // Only the admitted request may use it.
    expect(budget.tryTake("sendTransaction")).toBeGreaterThan(0);
    expect(budget.tryTake("sendTransaction", true)).toBe(0);
    expect(budget.tryTake("sendTransaction", true)).toBeGreaterThan(0);
  });

  it("blockedMs says how long a method is held up by Retry-After; unreserve gives back one admission", () => {
    const clock = new ManualClock();
    const budget = createEndpointBudget({ rate: 1, clock, burst: 1 });
    expect(budget.blockedMs("sendTransaction")).toBe(0);
    expect(budget.reserve("sendTransaction")).toBe(0);
    expect(budget.unreserve("sendTransaction")).toBe(true);
    expect(budget.unreserve("sendTransaction")).toBe(false);
    // The given-back admission no longer lets a send through.
    expect(budget.tryTake("sendTransaction", true)).toBeGreaterThan(0);
    budget.onRateLimited("sendTransaction", 1_000);
    expect(budget.blockedMs("sendTransaction")).toBe(1_000);
    clock.advance(400);
    expect(budget.blockedMs("sendTransaction")).toBe(600);
  });

  it("a refused admitted request keeps its reservation and goes before new admissions", () => {
    const clock = new ManualClock();
    const budget = createEndpointBudget({ rate: 1, clock, burst: 1 });
    expect(budget.reserve("sendTransaction")).toBe(0);
    expect(budget.tryTake("sendTransaction", true)).toBe(0);
    budget.onRateLimited("sendTransaction", 1_000);
    budget.refund("sendTransaction");
    clock.advance(1_000);
    // The bucket has a token again, but the refused send goes first and spends it.
    expect(budget.reserve("sendTransaction")).toBeGreaterThan(0);
    expect(budget.tryTake("sendTransaction", true)).toBe(0);
    expect(budget.reserve("sendTransaction")).toBeGreaterThan(0);
    clock.advance(1_000);
    expect(budget.reserve("sendTransaction")).toBe(0);
  });

  it("refused sends go at once when the block ends, and what is admitted after them keeps the new window within the rate", () => {
    const clock = new ManualClock();
    // 20 sends/s, a burst of 2: what a window of 1 s may see is 22 at most.
    const budget = createEndpointBudget({ rate: 20, clock, burst: 2 });
    const refused = 16;
    for (let i = 0; i < refused; i++) {
      clock.advance(50);
      expect(budget.reserve("sendTransaction")).toBe(0);
      expect(budget.tryTake("sendTransaction", true)).toBe(0);
    }
    budget.onRateLimited("sendTransaction", 1_000);
    for (let i = 0; i < refused; i++) budget.refund("sendTransaction");
    clock.advance(1_000);
    // All refused sends leave at once: none waits for a token behind the others.
    for (let i = 0; i < refused; i++) expect(budget.tryTake("sendTransaction", true)).toBe(0);
    // New admissions (each sent at once) over the next second, every 10 ms.
    let admitted = 0;
    for (let step = 0; step < 100; step++) {
      if (budget.reserve("sendTransaction") === 0) {
        expect(budget.tryTake("sendTransaction", true)).toBe(0);
        admitted++;
      }
      clock.advance(10);
    }
    expect(refused + admitted).toBeLessThanOrEqual(22);
    expect(admitted).toBeGreaterThan(0);
  });

  it("refused sends owe at most a second of the rate: beyond it they wait for tokens", () => {
    const clock = new ManualClock();
    const budget = createEndpointBudget({ rate: 10, clock, burst: 25 });
    for (let i = 0; i < 25; i++) {
      expect(budget.reserve("sendTransaction")).toBe(0);
      expect(budget.tryTake("sendTransaction", true)).toBe(0);
    }
    budget.onRateLimited("sendTransaction", 1_000);
    for (let i = 0; i < 25; i++) budget.refund("sendTransaction");
    clock.advance(1_000);
    // The block's second refilled 10 tokens; 10 more may be owed: 20 go, 5 wait.
    let went = 0;
    while (budget.tryTake("sendTransaction", true) === 0) went++;
    expect(went).toBe(20);
    expect(budget.tryTake("sendTransaction", true)).toBe(100);
    clock.advance(100);
    expect(budget.tryTake("sendTransaction", true)).toBe(0);
    // New admissions wait behind the four refused sends still held.
    expect(budget.reserve("sendTransaction")).toBeGreaterThan(0);
  });
});

describe("endpoint budget (fixed)", () => {
  it("keeps its rate whatever happens; a 429 only blocks", () => {
    const clock = new ManualClock();
    const budget = createEndpointBudget({ rate: 10, clock });
    const r = simulate({ budget, clock, seconds: 10, demand: { getSlot: 5 } });
    // 2 × 10 burst, then 10/s.
    expect(r.granted.getSlot).toBeGreaterThanOrEqual(100);
    expect(r.granted.getSlot).toBeLessThanOrEqual(121);
    budget.onRateLimited("getSlot", 2_000);
    expect(budget.snapshot()).toMatchObject({ mode: "fixed", rps: 10, methods: {} });
    expect(budget.tryTake("getSlot")).toBe(2_000);
  });
});
