/**
 * One shared, batched status poller for every in-flight transaction of the process. Each poll
 * interval collects the signatures of all waiting runs and asks once: one
 * `getSignatureStatuses` (≤ 256 a call, the pool splits), plus `getBlockHeight` for the expiry
 * rule only when a signature is still unseen (at most once a second), instead of a status call
 * per op per interval. Under light traffic (the last poll carried at most a few signatures) a
 * lone signature waits up to `lonePollMs` (default 1 s) for company: with ops due one by one, a
 * poll per `pollMs` would cost a request per op, while the longer wait lets the next op's
 * signature share the call. The tail of a burst is polled at `pollMs`.
 *
 * With `minPollMs` (the executor's default), several waiting signatures are polled at the
 * cluster's slot rhythm instead: once per slot, as measured from the slots the endpoints'
 * answers carry (`context.slot`), never more often than `minPollMs` and never less often than
 * `pollMs`. A slot is when new transactions can be confirmed, so polling faster finds nothing
 * new and polling slower only delays every verdict (400 ms polls against 100 ms slots added a
 * third of a second to the end of a burst). Until two answers a few slots apart have been seen
 * (the slot known when polling starts counts), it polls at `pollMs`.
 */
import { type Clock, type CourierError, coerceError } from "@courier/agent";
import type { RpcPool, SignatureStatus } from "../rpc/types.js";

export interface PollResult {
  /** The signature's status, or null when the cluster has not seen it. */
  status: SignatureStatus | null;
  /** Block height at `confirmed` (≤ 1 s old), read only when a signature is unseen; null otherwise or when the call failed. */
  blockHeight: number | null;
  /** Set when the poll itself failed (the status is then unknown, not absent). */
  error: CourierError | null;
}

export interface StatusPollerStats {
  polls: number;
  signatures_polled: number;
  max_batch: number;
  waiting: number;
  failed_polls: number;
}

/**
 * Told the result of the next poll that includes its signature (null: the poller stopped). A
 * watcher is polled once per `watch`; it watches again for the next round. A plain object with
 * a method, not a promise per round: ten thousand transactions in flight cost one small record
 * each, not a suspended call chain (see track-transaction.ts).
 */
export interface PollWatcher {
  onPoll(r: PollResult | null): void;
}

export interface StatusPoller {
  /** Include `signature` in the next poll and tell `watcher` its result. */
  watch(signature: string, watcher: PollWatcher): void;
  /** Take `watcher` out of the next poll (it is told nothing). */
  unwatch(signature: string, watcher: PollWatcher): void;
  stats(): StatusPollerStats;
  stop(): void;
}

/** One watcher per signature almost always: an array only when a second one joins. */
type Watchers = PollWatcher | PollWatcher[];

function forEachWatcher(w: Watchers, fn: (w: PollWatcher) => void): void {
  if (Array.isArray(w)) for (const x of w) fn(x);
  else fn(w);
}

const HEIGHT_REUSE_MS = 1_000;
/** The slot time is measured over at least this long and this many slots. */
const SLOT_SAMPLE_MS = 300;
const SLOT_SAMPLE_SLOTS = 2;
/** Shortest sleep between two busy polls (when a poll took its whole interval). */
const MIN_GAP_MS = 10;
/** A last poll of at most this many signatures means light traffic (see lonePollMs). */
const QUIET_BATCH = 3;

export function createStatusPoller(opts: { pool: RpcPool; clock: Clock; pollMs: number; lonePollMs?: number; minPollMs?: number }): StatusPoller {
  const lonePollMs = Math.max(opts.pollMs, opts.lonePollMs ?? 1_000);
  /** Measured ms per slot (null until measured), and the (slot, time) it is measured from. */
  let slotMs: number | null = null;
  let slotMark: { slot: number; at: number } | null = null;
  const waiting = new Map<string, Watchers>();
  const stopController = new AbortController();
  let running = false;
  let lastHeight: { value: number; at: number } | null = null;
  let lastBatch = 0;
  let lastPollAt = Number.NEGATIVE_INFINITY;
  const counters = { polls: 0, signatures_polled: 0, max_batch: 0, failed_polls: 0 };

  async function loop(): Promise<void> {
    running = true;
    // The slot the endpoints last showed (other calls' answers carry it too): the first poll
    // can then already measure the slot time.
    noteSlot();
    try {
      while (waiting.size > 0 && !stopController.signal.aborted) {
        // Every pollMs while several wait. A lone signature, when the last poll carried only a
        // few (ops due one by one, not the tail of a burst), waits up to lonePollMs for company.
        const quiet = lastBatch <= QUIET_BATCH || opts.clock.now() - lastPollAt > lonePollMs;
        // Busy polls keep their rhythm from one poll's start to the next (a poll of many
        // signatures, and the verdicts it hands out, take part of the interval).
        const interval = quiet ? opts.pollMs : Math.max(MIN_GAP_MS, getBusyPollMs() - (opts.clock.now() - lastPollAt));
        for (let slept = 0; slept === 0 || (quiet && waiting.size === 1 && slept < lonePollMs); ) {
          const step = slept === 0 ? interval : Math.min(opts.pollMs, lonePollMs - slept);
          await opts.clock.sleep(step, stopController.signal);
          slept += step;
          if (stopController.signal.aborted) break;
        }
        if (stopController.signal.aborted) break;
        const batch = new Map(waiting);
        waiting.clear();
        await pollOnce(batch);
      }
    } finally {
      running = false;
    }
  }

  /** The poll interval while several signatures wait: a slot, within [minPollMs, pollMs]. */
  function getBusyPollMs(): number {
    if (opts.minPollMs === undefined || slotMs === null) return opts.pollMs;
    return Math.min(opts.pollMs, Math.max(opts.minPollMs, Math.round(slotMs)));
  }

  /** Measure the slot time from the highest slot the endpoints' answers have shown. */
  function noteSlot(): void {
    if (opts.minPollMs === undefined) return;
    let slot: number | null = null;
    for (const h of opts.pool.health()) if (h.slot !== null && (slot === null || h.slot > slot)) slot = h.slot;
    if (slot === null) return;
    const now = opts.clock.now();
    if (slotMark === null || slot < slotMark.slot) {
      slotMark = { slot, at: now };
      return;
    }
    const slots = slot - slotMark.slot;
    if (now - slotMark.at < SLOT_SAMPLE_MS || slots < SLOT_SAMPLE_SLOTS) return;
    slotMs = (now - slotMark.at) / slots;
    slotMark = { slot, at: now };
  }

  /**
   * The confirmed block height, read at most once per HEIGHT_REUSE_MS: an older (lower) height
   * can only delay an expiry decision, never make one early.
   */
  async function getBlockHeight(): Promise<number | null> {
    const now = opts.clock.now();
    if (lastHeight && now - lastHeight.at < HEIGHT_REUSE_MS) return lastHeight.value;
    try {
      const value = await opts.pool.getBlockHeight("confirmed");
      lastHeight = { value, at: now };
      return value;
    } catch {
      return null;
    }
  }

  async function pollOnce(batch: Map<string, Watchers>): Promise<void> {
    const signatures = [...batch.keys()];
    lastBatch = signatures.length;
    lastPollAt = opts.clock.now();
    counters.polls++;
    counters.signatures_polled += signatures.length;
    counters.max_batch = Math.max(counters.max_batch, signatures.length);
    const [statuses] = await Promise.allSettled([opts.pool.getSignatureStatuses(signatures)]);
    noteSlot();
    // Block height only decides expiry, and only for a signature the cluster has not seen.
    const unseen = statuses.status === "rejected" || statuses.value.some((st) => st === null);
    const blockHeight = unseen ? await getBlockHeight() : null;
    if (statuses.status === "rejected") counters.failed_polls++;
    const error = statuses.status === "rejected" ? coerceError(statuses.reason) : null;
    signatures.forEach((sig, i) => {
      const status = statuses.status === "fulfilled" ? (statuses.value[i] ?? null) : null;
      const result: PollResult = { status, blockHeight, error };
      forEachWatcher(batch.get(sig) as Watchers, (w) => w.onPoll(result));
    });
  }

  function watch(signature: string, watcher: PollWatcher): void {
    if (stopController.signal.aborted) {
      queueMicrotask(() => watcher.onPoll(null));
      return;
    }
    const w = waiting.get(signature);
    waiting.set(signature, w === undefined ? watcher : Array.isArray(w) ? [...w, watcher] : [w, watcher]);
    if (!running) void loop();
  }

  function unwatch(signature: string, watcher: PollWatcher): void {
    const w = waiting.get(signature);
    if (w === watcher) waiting.delete(signature);
    else if (Array.isArray(w)) {
      const rest = w.filter((x) => x !== watcher);
      if (rest.length === 0) waiting.delete(signature);
      else waiting.set(signature, rest.length === 1 ? (rest[0] as PollWatcher) : rest);
    }
  }

  function stop(): void {
    if (stopController.signal.aborted) return;
    stopController.abort();
    const left = [...waiting.values()];
    waiting.clear();
    for (const w of left) forEachWatcher(w, (x) => x.onPoll(null));
  }

  return {
    watch,
    unwatch,
    stats: () => ({ ...counters, waiting: [...waiting.values()].reduce((n, w) => n + (Array.isArray(w) ? w.length : 1), 0) }),
    stop,
  };
}
