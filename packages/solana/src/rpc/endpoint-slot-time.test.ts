/**
 * The endpoint's slot time, learned from the slots its answers show and when they arrived
 * (the status poller polls once per measured slot).
 */
import { ManualClock } from "@courier/agent";
import { describe, expect, it } from "vitest";
import { createEndpoint, observeSlot } from "./endpoint.js";

function endpoint() {
  return createEndpoint({
    url: "http://127.0.0.1:1",
    priority: 0,
    breaker: { failureThreshold: 2, openMs: 100, maxOpenMs: 400, halfOpenProbes: 1 },
    rate: 100,
    clock: new ManualClock(),
  });
}

describe("endpoint slot time", () => {
  it("is measured once a sample spans 300 ms and 2 slots, from the first answer on", () => {
    const ep = endpoint();
    observeSlot(ep, 1_000, 0, "probe");
    observeSlot(ep, 1_001, 100, "probe");
    observeSlot(ep, 1_002, 200, "probe");
    expect(ep.slotMs).toBeNull();
    // Boot probe at 0, the burst's first answer 700 ms later: known before its first poll.
    observeSlot(ep, 1_007, 700, "probe");
    expect(ep.slotMs).toBe(100);
    // Slots slow down to 400 ms: the next full sample follows.
    observeSlot(ep, 1_008, 1_100, "probe");
    expect(ep.slotMs).toBe(100);
    observeSlot(ep, 1_009, 1_500, "probe");
    expect(ep.slotMs).toBe(400);
  });

  it("a sample needs two slots however long it spans; a slot just below the mark is noise, one far below (a restarted node) starts a new sample", () => {
    const ep = endpoint();
    observeSlot(ep, 500, 0, "probe");
    observeSlot(ep, 501, 5_000, "probe");
    expect(ep.slotMs).toBeNull();
    // getSlot at processed one below a call's context.slot: the sample goes on from 500.
    observeSlot(ep, 499, 5_100, "probe");
    observeSlot(ep, 502, 6_000, "probe");
    expect(ep.slotMs).toBe(3_000);
    observeSlot(ep, 3, 7_000, "probe");
    observeSlot(ep, 8, 7_500, "probe");
    expect(ep.slotMs).toBe(100);
  });

  it("the endpoint's slot: a probe's getSlot as it is, a call's context.slot only forward", () => {
    const ep = endpoint();
    observeSlot(ep, 1_000, 0, "answer");
    expect(ep.slot).toBe(1_000);
    observeSlot(ep, 998, 10, "answer");
    expect(ep.slot).toBe(1_000);
    observeSlot(ep, 1_002, 20, "answer");
    expect(ep.slot).toBe(1_002);
    // A restarted node: its probe says where it is.
    observeSlot(ep, 5, 30, "probe");
    expect(ep.slot).toBe(5);
  });
});
