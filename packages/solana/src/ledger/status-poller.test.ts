import { ManualClock } from "@courier/agent";
import { describe, expect, it } from "vitest";
import type { RpcPool, SignatureStatus } from "../rpc/types.js";
import { createStatusPoller, type PollResult, type StatusPoller } from "./status-poller.js";

/** The result of the next poll that includes `signature` (null once the poller stopped). */
function nextPoll(poller: StatusPoller, signature: string): Promise<PollResult | null> {
  return new Promise((onPoll) => poller.watch(signature, { onPoll }));
}

/** Every signature is confirmed; getSignatureStatuses is the only call the poller may make here. */
function confirmingPool(): { pool: RpcPool; calls: string[][] } {
  const calls: string[][] = [];
  const pool = new Proxy({} as RpcPool, {
    get(_t, prop) {
      if (prop === "getSignatureStatuses")
        return async (sigs: string[]) => {
          calls.push([...sigs]);
          return sigs.map((): SignatureStatus => ({ slot: 1, confirmations: null, err: null, confirmationStatus: "confirmed" }));
        };
      if (prop === "then") return undefined;
      throw new Error(`the poller must not call ${String(prop)} for confirmed signatures`);
    },
  });
  return { pool, calls };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** Confirms everything; `slotMs` is the slot time the pool has measured (null: not yet). */
function slottedPool(clock: ManualClock, slotMs: number | null): { pool: RpcPool; pollTimes: number[]; polls: string[][] } {
  const polls: string[][] = [];
  const pollTimes: number[] = [];
  const pool = new Proxy({} as RpcPool, {
    get(_t, prop) {
      if (prop === "getSignatureStatuses")
        return async (sigs: string[]) => {
          pollTimes.push(clock.now());
          polls.push([...sigs]);
          return sigs.map((): SignatureStatus => ({ slot: 1, confirmations: null, err: null, confirmationStatus: "confirmed" }));
        };
      if (prop === "slotMs") return () => slotMs;
      if (prop === "then") return undefined;
      throw new Error(`the poller must not call ${String(prop)} here`);
    },
  });
  return { pool, pollTimes, polls };
}

/** Keep five signatures waiting (a burst: not quiet) for `rounds` polls, stepping the clock by 10 ms. */
async function busyRounds(poller: StatusPoller, clock: ManualClock, pollTimes: number[], rounds: number): Promise<void> {
  let n = 0;
  while (pollTimes.length < rounds) {
    const before = pollTimes.length;
    for (let i = 0; i < 5; i++) poller.watch(`sig-${n++}`, { onPoll: () => {} });
    while (pollTimes.length === before) {
      clock.advance(10);
      await settle();
    }
  }
}

describe("status poller", () => {
  it("with minPollMs, a burst is polled one measured slot after it starts, then once per slot (100 ms slots)", async () => {
    const clock = new ManualClock();
    const { pool, pollTimes } = slottedPool(clock, 100);
    const poller = createStatusPoller({ pool, clock, pollMs: 400, lonePollMs: 1_000, minPollMs: 50 });
    const t0 = clock.now();
    await busyRounds(poller, clock, pollTimes, 6);
    const gaps = pollTimes.map((t, i) => t - (i === 0 ? t0 : (pollTimes[i - 1] as number)));
    expect(gaps).toEqual([100, 100, 100, 100, 100, 100]);
    poller.stop();
  });

  it("until the pool has measured the slot time, a burst is polled every 100 ms (a fast cluster's slot)", async () => {
    const clock = new ManualClock();
    const { pool, pollTimes } = slottedPool(clock, null);
    const poller = createStatusPoller({ pool, clock, pollMs: 400, lonePollMs: 1_000, minPollMs: 50 });
    const t0 = clock.now();
    await busyRounds(poller, clock, pollTimes, 3);
    expect(pollTimes.map((t, i) => t - (i === 0 ? t0 : (pollTimes[i - 1] as number)))).toEqual([100, 100, 100]);
    poller.stop();
  });

  it("a burst arriving while a lone signature waits for company is polled at the slot rhythm, with it", async () => {
    const clock = new ManualClock();
    const { pool, pollTimes, polls } = slottedPool(clock, 100);
    const poller = createStatusPoller({ pool, clock, pollMs: 400, lonePollMs: 1_000, minPollMs: 50 });
    const t0 = clock.now();
    poller.watch("lone", { onPoll: () => {} });
    clock.advance(30);
    await settle();
    for (let i = 0; i < 5; i++) poller.watch(`burst-${i}`, { onPoll: () => {} });
    while (pollTimes.length === 0) {
      clock.advance(10);
      await settle();
    }
    expect(pollTimes[0]! - t0).toBe(100);
    expect(polls[0]).toEqual(["lone", "burst-0", "burst-1", "burst-2", "burst-3", "burst-4"]);
    poller.stop();
  });

  it("the slot rhythm stays within [minPollMs, pollMs]: 20 ms slots poll every 50 ms, 1 s slots every pollMs", async () => {
    for (const [slotMs, expected] of [
      [20, 50],
      [1_000, 400],
    ] as const) {
      const clock = new ManualClock();
      const { pool, pollTimes } = slottedPool(clock, slotMs);
      const poller = createStatusPoller({ pool, clock, pollMs: 400, lonePollMs: 1_000, minPollMs: 50 });
      await busyRounds(poller, clock, pollTimes, 6);
      expect((pollTimes[5] as number) - (pollTimes[4] as number)).toBe(expected);
      poller.stop();
    }
  });

  it("polls a lone signature after lonePollMs, so the next one due shares the call", async () => {
    const clock = new ManualClock();
    const { pool, calls } = confirmingPool();
    const poller = createStatusPoller({ pool, clock, pollMs: 400, lonePollMs: 1_000 });
    const a = nextPoll(poller, "sig-a");
    clock.advance(400);
    await settle();
    expect(calls).toEqual([]);
    const b = nextPoll(poller, "sig-b");
    clock.advance(600);
    await settle();
    expect((await a)?.status?.confirmationStatus).toBe("confirmed");
    expect((await b)?.status?.confirmationStatus).toBe("confirmed");
    expect(calls).toEqual([["sig-a", "sig-b"]]);
    poller.stop();
  });

  it("ops due one by one: a signature joining a lone one is polled with it at the next pollMs step, not at once", async () => {
    const clock = new ManualClock();
    const { pool, pollTimes, polls } = slottedPool(clock, 100);
    const poller = createStatusPoller({ pool, clock, pollMs: 400, lonePollMs: 1_000, minPollMs: 50 });
    const t0 = clock.now();
    poller.watch("first", { onPoll: () => {} });
    for (let t = 0; t < 1_200; t += 10) {
      if (t === 500) poller.watch("second", { onPoll: () => {} });
      clock.advance(10);
      await settle();
    }
    // The second was sent at 500: polled at 800 (two steps of 400), not at 500 before it could confirm.
    expect(pollTimes.map((t) => t - t0)).toEqual([800]);
    expect(polls).toEqual([["first", "second"]]);
    poller.stop();
  });

  it("with several waiting it polls every pollMs", async () => {
    const clock = new ManualClock();
    const { pool, calls } = confirmingPool();
    const poller = createStatusPoller({ pool, clock, pollMs: 400, lonePollMs: 1_000 });
    const first = [nextPoll(poller, "sig-1"), nextPoll(poller, "sig-2")];
    clock.advance(400);
    await settle();
    await Promise.all(first);
    expect(calls).toEqual([["sig-1", "sig-2"]]);
    poller.stop();
  });
});

describe("status poller after a busy poll", () => {
  it("the last signature of a burst is polled at pollMs, not held for company", async () => {
    const clock = new ManualClock();
    const { pool, calls } = confirmingPool();
    const poller = createStatusPoller({ pool, clock, pollMs: 400, lonePollMs: 1_000 });
    const burst = ["sig-1", "sig-2", "sig-3", "sig-4"].map((s) => nextPoll(poller, s));
    clock.advance(400);
    await settle();
    await Promise.all(burst);
    // The tail: sent while the burst's poll was out, alone afterwards.
    const tail = nextPoll(poller, "sig-5");
    clock.advance(400);
    await settle();
    expect((await tail)?.status?.confirmationStatus).toBe("confirmed");
    expect(calls).toEqual([["sig-1", "sig-2", "sig-3", "sig-4"], ["sig-5"]]);
    poller.stop();
  });
});

describe("status poller watchers", () => {
  it("stop() tells every waiting watcher null, and a watch after the stop is told null too", async () => {
    const clock = new ManualClock();
    const { pool, calls } = confirmingPool();
    const poller = createStatusPoller({ pool, clock, pollMs: 400, lonePollMs: 1_000 });
    const waiting = [nextPoll(poller, "sig-1"), nextPoll(poller, "sig-1"), nextPoll(poller, "sig-2")];
    poller.stop();
    expect(await Promise.all(waiting)).toEqual([null, null, null]);
    expect(await nextPoll(poller, "sig-3")).toBeNull();
    expect(calls).toEqual([]);
  });

  it("an unwatched signature leaves the next poll; a second watcher of it keeps its place", async () => {
    const clock = new ManualClock();
    const { pool, calls } = confirmingPool();
    const poller = createStatusPoller({ pool, clock, pollMs: 400, lonePollMs: 1_000 });
    const gone = { onPoll: () => expect.unreachable("an unwatched watcher is told nothing") };
    const kept: Array<PollResult | null> = [];
    poller.watch("sig-a", gone);
    poller.watch("sig-b", gone);
    poller.watch("sig-b", { onPoll: (r) => kept.push(r) });
    poller.watch("sig-c", { onPoll: (r) => kept.push(r) });
    poller.unwatch("sig-a", gone);
    poller.unwatch("sig-b", gone);
    clock.advance(400);
    await settle();
    expect(calls).toEqual([["sig-b", "sig-c"]]);
    expect(kept.map((r) => r?.status?.confirmationStatus)).toEqual(["confirmed", "confirmed"]);
    poller.stop();
  });
});
