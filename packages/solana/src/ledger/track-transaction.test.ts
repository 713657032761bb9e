import { type LedgerEntry, ManualClock } from "@courier/agent";
import { describe, expect, it } from "vitest";
import { createSendWindow, OPEN_AT_PER_SECOND, type SendWindow } from "../rpc/send-window.js";
import type { RpcPool } from "../rpc/types.js";
import type { StatusPoller } from "./status-poller.js";
import { type TrackDeps, type TrackListener, watchTransaction } from "./track-transaction.js";

/** A pool whose sends wait until the test answers them; nothing else may be called. */
function heldSendPool(sendWindow: SendWindow): { pool: RpcPool; answer: () => void; sends: () => number } {
  const pending: Array<() => void> = [];
  const pool = new Proxy({} as RpcPool, {
    get(_t, prop) {
      if (prop === "sendWindow") return sendWindow;
      if (prop === "sendRawTransaction") return () => new Promise<string>((resolve) => pending.push(() => resolve("sig")));
      if (prop === "then") return undefined;
      throw new Error(`the tracker must not call ${String(prop)} before a poll`);
    },
  });
  return { pool, answer: () => pending.shift()?.(), sends: () => pending.length };
}

/** The poller is only asked to watch; no poll comes in these tests. */
const idlePoller: StatusPoller = {
  watch: () => {},
  unwatch: () => {},
  stats: () => ({ polls: 0, signatures_polled: 0, max_batch: 0, waiting: 0, failed_polls: 0 }),
  stop: () => {},
};

function entry(n: number): LedgerEntry {
  return {
    op_id: `op_${n}`,
    run: 1,
    seq: 0,
    signature: `sig-${n}`,
    wire: new Uint8Array(0),
    blockhash: "11111111111111111111111111111111",
    last_valid_block_height: 100,
    state: "signed",
    error: null,
    lamports: 1,
    signer: "signer",
    created_at: 0,
    updated_at: 0,
  };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

function track(deps: TrackDeps, n: number, onSent: () => void): void {
  // No poll comes in these tests, so no verdict and no error either: both throw if called.
  const listener: TrackListener = {
    onVerdict: (v) => {
      throw new Error(`no verdict expected, got ${v.kind}`);
    },
    onError: (e) => {
      throw e;
    },
  };
  watchTransaction(deps, entry(n), new AbortController().signal, { debug: () => {} }, onSent, listener);
}

describe("watchTransaction: when the run gives its slot back", () => {
  const depsOf = (pool: RpcPool, clock: ManualClock): TrackDeps => ({ pool, poller: idlePoller, clock, commitment: "confirmed", rebroadcastMs: 1_500, counters: { sends: 0, rebroadcasts: 0 } });

  it("with the send window shut, only once the first send is answered", async () => {
    const clock = new ManualClock();
    const window = createSendWindow(clock);
    const { pool, answer } = heldSendPool(window);
    let sent = 0;
    track(depsOf(pool, clock), 1, () => sent++);
    await settle();
    expect(sent).toBe(0);
    answer();
    await settle();
    expect(sent).toBe(1);
  });

  it("with a seat in the window, as soon as the send is handed over; the seat is held until the answer", async () => {
    const clock = new ManualClock();
    const window = createSendWindow(clock);
    // A fast endpoint's answers open two seats.
    let answered = 0;
    while (window.snapshot().size < 2) {
      window.onAnswered();
      answered++;
    }
    expect(answered).toBeGreaterThanOrEqual(OPEN_AT_PER_SECOND / 2);
    const { pool, answer, sends } = heldSendPool(window);
    const sent: number[] = [];
    for (const n of [1, 2, 3]) track(depsOf(pool, clock), n, () => sent.push(n));
    await settle();
    expect(sends()).toBe(3);
    // Two runs had seats; the third keeps its slot until its send is answered.
    expect(sent).toEqual([1, 2]);
    expect(window.snapshot().open).toBe(2);
    answer();
    answer();
    await settle();
    expect(window.snapshot().open).toBe(0);
    expect(sent).toEqual([1, 2]);
    answer();
    await settle();
    expect(sent).toEqual([1, 2, 3]);
  });
});
