import { EventEmitter } from "node:events";
import { ManualClock } from "@courier/agent";
import { describe, expect, it } from "vitest";
import { type SignalSource, createShutdownSignal } from "./shutdown-signal.js";

function setup() {
  const clock = new ManualClock();
  const emitter = new EventEmitter();
  const source: SignalSource = {
    on: (e, fn) => emitter.on(e, fn),
    off: (e, fn) => emitter.off(e, fn),
  };
  const repeated: number[] = [];
  const forced: number[] = [];
  const signal = createShutdownSignal({
    clock,
    repeatWindowMs: 3_000,
    source,
    onRepeated: (_s, since) => repeated.push(since),
    onForced: (_s, since) => forced.push(since),
  });
  const send = (s: NodeJS.Signals) => emitter.emit(s, s);
  return { clock, emitter, signal, send, repeated, forced };
}

describe("shutdown signal", () => {
  it("counts SIGINT/SIGTERM repeats within the window as the same request", async () => {
    const t = setup();
    t.send("SIGINT");
    expect(await t.signal.received).toBe("SIGINT");
    t.clock.advance(5);
    t.send("SIGINT");
    t.clock.advance(1_000);
    t.send("SIGTERM");
    t.clock.advance(1_994);
    t.send("SIGINT");
    expect(t.repeated).toEqual([5, 1_005, 2_999]);
    expect(t.forced).toEqual([]);
    expect(t.signal.count()).toBe(4);
  });

  it("forces the stop only on a signal after the window, once", () => {
    const t = setup();
    t.send("SIGTERM");
    t.clock.advance(3_000);
    t.send("SIGINT");
    t.clock.advance(10);
    t.send("SIGINT");
    expect(t.forced).toEqual([3_000]);
  });

  it("dispose removes its handlers", () => {
    const t = setup();
    t.signal.dispose();
    expect(t.emitter.listenerCount("SIGINT") + t.emitter.listenerCount("SIGTERM")).toBe(0);
  });
});
