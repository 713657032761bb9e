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
 * cluster's slot rhythm instead: once per slot, as the pool measures it from its endpoints'
 * answers (`pool.slotMs()`), never more often than `minPollMs` and never less often than
 * `pollMs`. A slot is when new transactions can be confirmed, so polling faster finds nothing
 * new and polling slower only delays every verdict (400 ms polls against 100 ms slots added a
 * third of a second to the end of a burst). Until the pool knows the slot time, it assumes a
 * short one (UNMEASURED_SLOT_MS).
 *
 * A burst that starts while the poller is quiet (more than a few signatures waiting) is polled
 * one slot after the poller woke for it, not after `pollMs`: a fresh burst's first verdicts
 * would otherwise wait up to four slots.
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
/**
 * The slot time assumed until the pool has measured one (it needs answers 300 ms and two slots
 * apart, so a burst right after boot starts without it): short enough for a fast localnet, and on
 * a 400 ms cluster it costs a few extra polls once, until the first sample.
 */
const UNMEASURED_SLOT_MS = 100;
/** Shortest sleep between two busy polls (when a poll took its whole interval). */
const MIN_GAP_MS = 10;
/** A last poll of at most this many signatures means light traffic (see lonePollMs). */
const QUIET_BATCH = 3;

export function createStatusPoller(opts: { pool: RpcPool; clock: Clock; pollMs: number; lonePollMs?: number; minPollMs?: number }): StatusPoller {
  const lonePollMs = Math.max(opts.pollMs, opts.lonePollMs ?? 1_000);
  const waiting = new Map<string, Watchers>();
  const stopController = new AbortController();
  let running = false;
  let lastHeight: { value: number; at: number } | null = null;
  let lastBatch = 0;
  let lastPollAt = Number.NEGATIVE_INFINITY;
  const counters = { polls: 0, signatures_polled: 0, max_batch: 0, failed_polls: 0 };

  async function loop(): Promise<void> {
    running = true;
    try {
      while (waiting.size > 0 && !stopController.signal.aborted) {
        const wokeAt = opts.clock.now();
        let sharedAt: number | null = null;
        for (let now = wokeAt; ; now = opts.clock.now()) {
          if (sharedAt === null && waiting.size > 1) sharedAt = now;
          const due = nextPollAt(now, wokeAt, sharedAt);
          if (now >= due) break;
          // In steps of at most a busy interval: a burst arriving during a quiet wait is polled
          // at the busy rhythm.
          await opts.clock.sleep(Math.min(due - now, getBusyPollMs()), stopController.signal);
          if (stopController.signal.aborted) return;
        }
        const batch = new Map(waiting);
        waiting.clear();
        await pollOnce(batch);
      }
    } finally {
      running = false;
    }
  }

  /**
   * When the next poll is due, seen at `now`, for a wait that began at `wokeAt` (`sharedAt`: when a second
   * signature joined it, if one did):
   * - after a busy poll (more than a few signatures, within lonePollMs), one busy interval after
   *   that poll started (a poll of many signatures, and the verdicts it hands out, take part of
   *   the interval);
   * - while more than a few signatures wait (a burst starting), one busy interval after waking;
   * - otherwise (ops due one by one) at the first pollMs step from waking once a second one
   *   waits, and a lone signature waits up to lonePollMs for company. The steps keep a
   *   just-sent signature out of the poll that its company triggers: polled at once, it would
   *   not be confirmed yet and cost another poll.
   */
  function nextPollAt(now: number, wokeAt: number, sharedAt: number | null): number {
    if (lastBatch > QUIET_BATCH && now - lastPollAt <= lonePollMs) return Math.max(lastPollAt + getBusyPollMs(), wokeAt + MIN_GAP_MS);
    if (waiting.size > QUIET_BATCH) return wokeAt + getBusyPollMs();
    const lone = wokeAt + lonePollMs;
    if (sharedAt === null) return lone;
    return Math.min(lone, wokeAt + opts.pollMs * Math.max(1, Math.ceil((sharedAt - wokeAt) / opts.pollMs)));
  }

  /**
   * The poll interval while several signatures wait: a slot, within [minPollMs, pollMs]; while
   * the slot time is unmeasured, UNMEASURED_SLOT_MS.
   */
  function getBusyPollMs(): number {
    if (opts.minPollMs === undefined) return opts.pollMs;
    const slotMs = opts.pool.slotMs() ?? UNMEASURED_SLOT_MS;
    return Math.min(opts.pollMs, Math.max(opts.minPollMs, Math.round(slotMs)));
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
