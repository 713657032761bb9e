/**
 * The webhook delivery worker. It runs beside the crank, never inside it: the crank only writes
 * outbox rows (one insert), and this loop claims due rows, POSTs them signed, and records the
 * result. A slow or dead receiver costs this loop time (bounded by `fetchTimeoutMs` per batch)
 * and never the crank.
 *
 * States: created → running → stopping → stopped (pg-boss style), with an abortable idle sleep.
 * Delivery is at-least-once: an item is leased for `leaseMs`; if this process dies mid-delivery
 * another one redelivers after the lease, and receivers dedupe by `webhook-id`.
 */
import type { Logger } from "pino";
import { type BackoffConfig, computeBackoff } from "../crank/backoff.js";
import { CourierError, coerceError } from "../errors.js";
import type { Clock, OutboxItem, Store } from "../types.js";
import { postWebhook } from "./deliver.js";
import { createWebhookBody } from "./events.js";
import { signWebhook, getWebhookSecretKey } from "./sign.js";

export interface WebhookDispatcherOptions {
  store: Pick<Store, "claimOutbox" | "markOutboxDelivered" | "markOutboxFailed">;
  /** Receiver URL(s). With several, an item counts as delivered when every URL answered 2xx in one attempt. */
  url: string | readonly string[];
  /** Signing secrets in use (all sign each delivery; see sign.ts). */
  secrets: readonly string[];
  clock: Clock;
  logger: Logger;
  /** Owner name for outbox leases. */
  instanceId: string;
  /** Per-request timeout (default 10 s). */
  fetchTimeoutMs?: number;
  /** Attempts before an item is dead (default 12). */
  maxAttempts?: number;
  /** Retry backoff (default 1 s doubling to 10 min, 20 % jitter). */
  backoff?: Partial<BackoffConfig>;
  /** Deliveries in flight at once; also the claim batch size (default 4). */
  concurrency?: number;
  /** Idle poll interval when nothing is due (default 1 s); `wake()` cuts it short. */
  pollIntervalMs?: number;
  /** Outbox lease (default 2 × fetchTimeoutMs + 5 s: longer than one delivery can take; URLs are posted in parallel). */
  leaseMs?: number;
  random?: () => number;
  fetch?: typeof fetch;
}

export type WebhookDispatcherState = "created" | "running" | "stopping" | "stopped";

export interface WebhookDispatcher {
  readonly state: WebhookDispatcherState;
  start(): void;
  /** Stop the loop; in-flight requests are aborted and their items handed back for redelivery. */
  stop(): Promise<void>;
  /** Something was enqueued: skip the rest of the idle sleep. */
  wake(): void;
  /** One claim-and-deliver pass (used by the loop; tests call it directly). Returns items handled. */
  deliverDue(): Promise<number>;
}

const DEFAULT_BACKOFF: BackoffConfig = { baseMs: 1_000, maxMs: 10 * 60_000, jitter: 0.2 };
/** Longest pause after the store failed: the loop retries by itself, never in a tight loop. */
const MAX_STORE_RETRY_MS = 30_000;

function assertPositive(name: string, v: number): number {
  if (!Number.isFinite(v) || v <= 0) throw new CourierError("COURIER__CONFIG", `webhook dispatcher: ${name} must be a positive number`, { field: name });
  return v;
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch (e) {
    coerceError(e);
    return null;
  }
}

/** Only scheme, host and path are logged: a query string may carry a token. */
function describeUrl(url: string): string {
  const u = parseUrl(url);
  return u ? `${u.protocol}//${u.host}${u.pathname}` : "<invalid url>";
}

export function createWebhookDispatcher(opts: WebhookDispatcherOptions): WebhookDispatcher {
  const urls = typeof opts.url === "string" ? [opts.url] : [...opts.url];
  if (urls.length === 0) throw new CourierError("COURIER__CONFIG", "webhook dispatcher: no receiver url", { field: "url" });
  if (urls.some((u) => !/^https?:$/.test(parseUrl(u)?.protocol ?? ""))) {
    throw new CourierError("COURIER__CONFIG", "webhook dispatcher: url must be http(s)", { field: "url" });
  }
  if (opts.secrets.length === 0) throw new CourierError("COURIER__CONFIG", "webhook dispatcher: no signing secret", { field: "secrets" });
  for (const s of opts.secrets) getWebhookSecretKey(s); // malformed secrets fail at construction, not per delivery
  const fetchTimeoutMs = assertPositive("fetchTimeoutMs", opts.fetchTimeoutMs ?? 10_000);
  const maxAttempts = Math.floor(assertPositive("maxAttempts", opts.maxAttempts ?? 12));
  const concurrency = Math.floor(assertPositive("concurrency", opts.concurrency ?? 4));
  const pollIntervalMs = assertPositive("pollIntervalMs", opts.pollIntervalMs ?? 1_000);
  const leaseMs = assertPositive("leaseMs", opts.leaseMs ?? 2 * fetchTimeoutMs + 5_000);
  const backoff: BackoffConfig = { ...DEFAULT_BACKOFF, ...opts.backoff };
  const random = opts.random ?? Math.random;
  const doFetch = opts.fetch ?? fetch;
  const { store, clock } = opts;
  const log = opts.logger.child({ component: "webhooks", instance: opts.instanceId });

  let state: WebhookDispatcherState = "created";
  const stopCtl = new AbortController();
  let sleepCtl: AbortController | null = null;
  let woken = false;
  let loopDone: Promise<void> = Promise.resolve();

  async function deliver(item: OutboxItem): Promise<void> {
    const body = createWebhookBody(item);
    const headers = {
      "content-type": "application/json",
      "user-agent": "courier-webhooks",
      ...signWebhook({ id: item.event_id, timestamp: Math.floor(clock.now() / 1000), body, secrets: opts.secrets }),
    };
    const results = await Promise.all(urls.map((url) => postWebhook({ url, body, headers, timeoutMs: fetchTimeoutMs, signal: stopCtl.signal, fetch: doFetch })));
    const failedAt = results.findIndex((r) => !r.ok);
    const now = clock.now();
    if (failedAt < 0) {
      await store.markOutboxDelivered({ id: item.id, owner: opts.instanceId, now });
      return;
    }
    const failure = results[failedAt] as Extract<(typeof results)[number], { ok: false }>;
    if (failure.aborted) {
      // Shutdown, not the receiver's fault: hand it back due now (the claim already counted an attempt).
      await store.markOutboxFailed({ id: item.id, owner: opts.instanceId, now, error: failure.error, next_attempt_at: now, dead: false });
      return;
    }
    const dead = item.attempts >= maxAttempts;
    const next_attempt_at = now + computeBackoff({ ...backoff, attempts: item.attempts - 1, random });
    await store.markOutboxFailed({ id: item.id, owner: opts.instanceId, now, error: failure.error, next_attempt_at, dead });
    // One line per failed attempt of an item, never the body or the headers.
    log.warn(
      {
        event: dead ? "webhook.dead" : "webhook.retry",
        event_id: item.event_id,
        type: item.type,
        attempt: item.attempts,
        max_attempts: maxAttempts,
        url: describeUrl(urls[failedAt] as string),
        error: failure.error,
        next_attempt_at: dead ? null : new Date(next_attempt_at).toISOString(),
      },
      dead ? "webhook delivery gave up" : "webhook delivery failed; will retry",
    );
  }

  async function deliverDue(): Promise<number> {
    const items = await store.claimOutbox({ now: clock.now(), limit: concurrency, owner: opts.instanceId, lease_ms: leaseMs });
    const settled = await Promise.allSettled(items.map(deliver));
    const rejected = settled.find((r) => r.status === "rejected");
    if (rejected) throw coerceError(rejected.reason); // the store failed recording a result; the lease brings the item back
    return items.length;
  }

  async function sleep(ms: number): Promise<void> {
    if (woken) {
      woken = false;
      return;
    }
    sleepCtl = new AbortController();
    const ctl = sleepCtl;
    const onStop = () => ctl.abort();
    stopCtl.signal.addEventListener("abort", onStop, { once: true });
    try {
      await clock.sleep(ms, ctl.signal);
    } finally {
      stopCtl.signal.removeEventListener("abort", onStop);
      sleepCtl = null;
      woken = false;
    }
  }

  async function loop(): Promise<void> {
    let storeRetryMs = 0; // > 0 while the store is failing
    while (state === "running") {
      let handled = 0;
      try {
        handled = await deliverDue();
        if (storeRetryMs > 0) log.info("webhook.store_recovered");
        storeRetryMs = 0;
      } catch (e) {
        const err = coerceError(e);
        // One warning when the store starts failing, then silence until it recovers.
        if (storeRetryMs === 0) log.warn({ code: err.code, err: err.message }, "webhook.store_failed");
        storeRetryMs = Math.min(MAX_STORE_RETRY_MS, Math.max(pollIntervalMs, storeRetryMs * 2));
      }
      if (state !== "running") break;
      if (storeRetryMs > 0) await sleep(storeRetryMs);
      else if (handled < concurrency) await sleep(pollIntervalMs);
      // A full batch: more may be due; yield to the event loop, then claim again.
      else await new Promise<void>((r) => setImmediate(r));
    }
  }

  return {
    get state() {
      return state;
    },
    start() {
      if (state !== "created") throw new CourierError("COURIER__CONFLICT", `webhook dispatcher cannot start from state ${state}`, { state });
      state = "running";
      loopDone = loop().catch((e) => {
        const err = coerceError(e);
        log.error({ code: err.code, err: err.message }, "webhook.loop_crashed");
      });
    },
    async stop() {
      if (state === "created") {
        state = "stopped";
        return;
      }
      if (state === "running") {
        state = "stopping";
        stopCtl.abort();
      }
      await loopDone;
      state = "stopped";
    },
    wake() {
      woken = true;
      sleepCtl?.abort();
    },
    deliverDue,
  };
}
