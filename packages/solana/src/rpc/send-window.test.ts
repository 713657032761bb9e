import { ManualClock } from "@courier/agent";
import { describe, expect, it } from "vitest";
import { createSendWindow, OPEN_AT_PER_SECOND } from "./send-window.js";

/** `n` sends answered fine, spread evenly over `ms`. */
function answer(window: ReturnType<typeof createSendWindow>, clock: ManualClock, n: number, ms: number): void {
  for (let i = 0; i < n; i++) {
    window.onAnswered();
    clock.advance(ms / n);
  }
}

describe("send window", () => {
  it("starts shut: the first sends keep their slots until answered", () => {
    const w = createSendWindow(new ManualClock());
    expect(w.tryEnter()).toBe(false);
    expect(w.snapshot()).toEqual({ size: 0, open: 0 });
  });

  it("stays shut against an endpoint that takes fewer sends per second than the threshold (a public limit)", () => {
    const clock = new ManualClock();
    const w = createSendWindow(clock);
    // 20 sends/s for 10 s, all answered fine.
    answer(w, clock, 200, 10_000);
    expect(w.snapshot().size).toBe(0);
    expect(w.tryEnter()).toBe(false);
  });

  it("opens once the endpoint took the threshold within a second, then grows by one per answer", () => {
    const clock = new ManualClock();
    const w = createSendWindow(clock);
    answer(w, clock, OPEN_AT_PER_SECOND - 1, 500);
    expect(w.snapshot().size).toBe(0);
    answer(w, clock, 10, 50);
    expect(w.snapshot().size).toBe(10);
    // Ten seats: the eleventh send keeps its slot; a seat given back is taken again.
    for (let i = 0; i < 10; i++) expect(w.tryEnter()).toBe(true);
    expect(w.tryEnter()).toBe(false);
    w.leave();
    expect(w.tryEnter()).toBe(true);
    expect(w.snapshot()).toEqual({ size: 10, open: 10 });
  });

  it("halves on a 429 and never exceeds its bound", () => {
    const clock = new ManualClock();
    const w = createSendWindow(clock, 40);
    answer(w, clock, OPEN_AT_PER_SECOND + 100, 200);
    expect(w.snapshot().size).toBe(40);
    w.onRateLimited();
    expect(w.snapshot().size).toBe(20);
    w.onRateLimited();
    w.onRateLimited();
    expect(w.snapshot().size).toBe(5);
  });
});
