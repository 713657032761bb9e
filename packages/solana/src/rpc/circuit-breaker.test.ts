import { ManualClock } from "@courier/agent";
import { describe, expect, it } from "vitest";
import { createCircuitBreaker, getProbeBudget } from "./circuit-breaker.js";

const opts = { failureThreshold: 3, openMs: 1_000, maxOpenMs: 4_000, halfOpenProbes: 2 };

describe("circuit breaker", () => {
  it("opens after N consecutive failures, not after interleaved ones", () => {
    const clock = new ManualClock();
    const b = createCircuitBreaker({ ...opts, clock });
    b.onFailure();
    b.onFailure();
    b.onSuccess();
    b.onFailure();
    b.onFailure();
    expect(b.state()).toBe("closed");
    b.onFailure();
    expect(b.state()).toBe("open");
    expect(b.tryAcquire()).toBe(false);
    expect(b.downSince()).toBe(clock.now());
  });

  it("lets a bounded number of probes through after openMs, doubles the interval on failure up to maxOpenMs", () => {
    const clock = new ManualClock();
    const transitions: string[] = [];
    const b = createCircuitBreaker({ ...opts, clock, onTransition: (f, t) => transitions.push(`${f}>${t}`) });
    for (let i = 0; i < 3; i += 1) b.onFailure();
    clock.advance(999);
    expect(b.canRequest()).toBe(false);
    clock.advance(1);
    expect(b.canRequest()).toBe(true);
    expect(b.tryAcquire()).toBe(true);
    expect(b.state()).toBe("half_open");
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    b.onFailure();
    expect(b.state()).toBe("open");
    expect(b.openUntil()).toBe(clock.now() + 2_000);
    clock.advance(2_000);
    expect(b.tryAcquire()).toBe(true);
    b.onFailure();
    expect(b.openUntil()).toBe(clock.now() + 4_000);
    clock.advance(4_000);
    expect(b.tryAcquire()).toBe(true);
    b.onFailure();
    expect(b.openUntil()).toBe(clock.now() + 4_000);
    clock.advance(4_000);
    expect(b.tryAcquire()).toBe(true);
    b.onSuccess();
    expect(b.state()).toBe("closed");
    expect(b.downSince()).toBeNull();
    // After closing, the next outage starts again from openMs.
    for (let i = 0; i < 3; i += 1) b.onFailure();
    expect(b.openUntil()).toBe(clock.now() + 1_000);
    expect(transitions.slice(0, 3)).toEqual(["closed>open", "open>half_open", "half_open>open"]);
  });

  it("a late failure of a request sent before opening does not extend the interval", () => {
    const clock = new ManualClock();
    const b = createCircuitBreaker({ ...opts, clock });
    for (let i = 0; i < 3; i += 1) b.onFailure();
    const until = b.openUntil();
    b.onFailure();
    expect(b.openUntil()).toBe(until);
  });

  it("the probe budget matches a simulation of calls hammering a dead endpoint", () => {
    const clock = new ManualClock();
    const b = createCircuitBreaker({ ...opts, clock });
    let sent = 0;
    const windowMs = 20_000;
    for (let t = 0; t <= windowMs; t += 10) {
      // Ten callers try every 10 ms; every request fails immediately.
      for (let c = 0; c < 10; c += 1) {
        if (b.tryAcquire()) {
          sent += 1;
          b.onFailure();
        }
      }
      clock.advance(10);
    }
    expect(sent).toBeLessThanOrEqual(getProbeBudget(opts, windowMs));
    // 3 to open, then probe rounds at 1 s, 3 s, 7 s, 11 s, 15 s, 19 s: up to two probes each
    // (concurrent probes); a probe that fails at once re-opens the circuit, so one is sent.
    expect(getProbeBudget(opts, windowMs)).toBe(3 + 2 * 6);
    expect(sent).toBe(3 + 6);
  });
});
