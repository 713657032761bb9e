import { ManualClock } from "@courier/agent";
import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "./json-rpc-transport.js";
import { createTokenBucket } from "./token-bucket.js";

describe("token bucket", () => {
  it("allows a burst, then refills at the rate", () => {
    const clock = new ManualClock();
    const bucket = createTokenBucket({ ratePerSecond: 10, burst: 3, clock });
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([0, 0, 0]);
    expect(bucket.tryTake()).toBe(100);
    clock.advance(50);
    expect(bucket.tryTake()).toBe(50);
    clock.advance(50);
    expect(bucket.tryTake()).toBe(0);
    clock.advance(10_000);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([0, 0, 0, 100]);
  });

  it("a Retry-After block refuses every take until it ends", () => {
    const clock = new ManualClock();
    const bucket = createTokenBucket({ ratePerSecond: 100, burst: 100, clock });
    bucket.blockUntil(clock.now() + 2_000);
    expect(bucket.tryTake()).toBe(2_000);
    expect(bucket.blockedUntil()).toBe(clock.now() + 2_000);
    clock.advance(1_999);
    expect(bucket.tryTake()).toBe(1);
    clock.advance(1);
    expect(bucket.blockedUntil()).toBe(0);
    expect(bucket.tryTake()).toBe(0);
  });

  it("parses Retry-After as seconds or an HTTP date, bounded", () => {
    const now = Date.UTC(2026, 0, 1);
    expect(parseRetryAfter("2", now)).toBe(2_000);
    expect(parseRetryAfter(null, now)).toBe(1_000);
    expect(parseRetryAfter(new Date(now + 3_000).toUTCString(), now)).toBe(3_000);
    expect(parseRetryAfter("999999", now)).toBe(60_000);
    expect(parseRetryAfter("soon", now)).toBe(1_000);
  });
});
