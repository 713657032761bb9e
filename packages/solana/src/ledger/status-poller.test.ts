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

describe("status poller", () => {
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
