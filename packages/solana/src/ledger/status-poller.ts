/**
 * One shared, batched status poller for every in-flight transaction of the process. Each poll
 * interval collects the signatures of all waiting runs and asks once: one
 * `getSignatureStatuses` (≤ 256 a call, the pool splits), plus `getBlockHeight` for the expiry
 * rule only when a signature is still unseen (at most once a second), instead of a status call
 * per op per interval. Under light traffic (the last poll carried at most a few signatures) a
 * lone signature waits up to `lonePollMs` (default 1 s) for company: with ops due one by one, a
 * poll per `pollMs` would cost a request per op, while the longer wait lets the next op's
 * signature share the call. The tail of a burst is polled at `pollMs`.
 */
import { setMaxListeners } from "node:events";
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

export interface StatusPoller {
  /** Resolves with the result of the next poll that includes `signature`; null when `signal` aborts. */
  next(signature: string, signal?: AbortSignal): Promise<PollResult | null>;
  stats(): StatusPollerStats;
  stop(): void;
}

type Waiter = (r: PollResult | null) => void;

const HEIGHT_REUSE_MS = 1_000;
/** A last poll of at most this many signatures means light traffic (see lonePollMs). */
const QUIET_BATCH = 3;

export function createStatusPoller(opts: { pool: RpcPool; clock: Clock; pollMs: number; lonePollMs?: number }): StatusPoller {
  const lonePollMs = Math.max(opts.pollMs, opts.lonePollMs ?? 1_000);
  const waiting = new Map<string, Set<Waiter>>();
  const stopController = new AbortController();
  // Every waiting run listens for the stop: many listeners are expected, not a leak.
  setMaxListeners(0, stopController.signal);
  let running = false;
  let lastHeight: { value: number; at: number } | null = null;
  let lastBatch = 0;
  let lastPollAt = Number.NEGATIVE_INFINITY;
  const counters = { polls: 0, signatures_polled: 0, max_batch: 0, failed_polls: 0 };

  async function loop(): Promise<void> {
    running = true;
    try {
      while (waiting.size > 0 && !stopController.signal.aborted) {
        // Every pollMs while several wait. A lone signature, when the last poll carried only a
        // few (ops due one by one, not the tail of a burst), waits up to lonePollMs for company.
        const quiet = lastBatch <= QUIET_BATCH || opts.clock.now() - lastPollAt > lonePollMs;
        for (let slept = 0; slept === 0 || (quiet && waiting.size === 1 && slept < lonePollMs); ) {
          const step = slept === 0 ? opts.pollMs : Math.min(opts.pollMs, lonePollMs - slept);
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

  async function pollOnce(batch: Map<string, Set<Waiter>>): Promise<void> {
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
      for (const w of batch.get(sig) ?? []) w({ status, blockHeight, error });
    });
  }

  return {
    next(signature, signal) {
      if (signal?.aborted || stopController.signal.aborted) return Promise.resolve(null);
      return new Promise<PollResult | null>((resolve) => {
        const onAbort = () => {
          waiting.get(signature)?.delete(waiter);
          if (waiting.get(signature)?.size === 0) waiting.delete(signature);
          resolve(null);
        };
        const waiter: Waiter = (r) => {
          signal?.removeEventListener("abort", onAbort);
          stopController.signal.removeEventListener("abort", onAbort);
          resolve(r);
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        stopController.signal.addEventListener("abort", onAbort, { once: true });
        const set = waiting.get(signature) ?? new Set<Waiter>();
        waiting.set(signature, set);
        set.add(waiter);
        if (!running) void loop();
      });
    },
    stats: () => ({ ...counters, waiting: [...waiting.values()].reduce((n, s) => n + s.size, 0) }),
    stop: () => stopController.abort(),
  };
}
