/**
 * The RPC pool (see types.ts for the contract). Raw JSON-RPC over fetch, per-endpoint circuit
 * breaker and request budget (learned from 429s by default, see endpoint-budget.ts), failover in
 * priority order, a health loop, and classified errors.
 *
 * Request budget for a dead endpoint (what an outage costs it): at most
 * `getProbeBudget(breaker, window, concurrency)` requests — `failureThreshold` to open the
 * circuit, plus requests already in flight at that moment, then `halfOpenProbes` per open
 * interval (openMs, doubling up to maxOpenMs). The health loop probes through the same
 * breaker, so it is inside that budget, not on top of it.
 *
 * Users of web3.js `Connection` elsewhere: create it with `disableRetryOnRateLimit: true`, or it
 * retries 429s five times on its own and ignores Retry-After.
 */
import { CourierError, coerceError, systemClock, type Clock } from "@courier/agent";
import bs58 from "bs58";
import { classifyRpcError } from "../errors/classify.js";
import { DEFAULT_BREAKER_OPTIONS, type BreakerOptions } from "./circuit-breaker.js";
import { createEndpoint, getEndpointHealth, type PoolLogger } from "./endpoint.js";
import type { RpcRate } from "./endpoint-budget.js";
import { createFailoverCaller } from "./failover.js";
import { startHealthLoop } from "./health-loop.js";
import { redactUrl } from "./redact-url.js";
import { createSendBatcher } from "./send-batcher.js";
import { createSendWindow } from "./send-window.js";
import type { Commitment, RpcObserver, RpcPool, SignatureStatus } from "./types.js";

export interface RpcPoolOptions {
  /** Endpoints in priority order. */
  urls: string[];
  /** Timeout of every call (default 10 s). */
  timeoutMs?: number;
  /** Timeout of sendTransaction (default 5 s): a send without an answer is ambiguous anyway. */
  sendTimeoutMs?: number;
  /** Timeout of each health probe request (default 2 s). */
  probeTimeoutMs?: number;
  /** Requests per second per endpoint: "auto" (default) learns each endpoint's limit; a number fixes it. */
  rate?: RpcRate;
  /** A fixed rate (same as `rate: N`); kept for callers that set it directly. */
  ratePerSecond?: number;
  /** Bucket size of a fixed rate (default 2 × the rate). */
  burst?: number;
  /** Longest a call waits for budget (incl. Retry-After) before giving up with BACKPRESSURE (default 5 s). */
  maxRateWaitMs?: number;
  breaker?: BreakerOptions;
  /** Health probe interval (default 5 s; 0 = no health loop). */
  healthIntervalMs?: number;
  /** Slot lag behind the best endpoint beyond which an endpoint is unhealthy (default 50). */
  maxSlotLag?: number;
  clock?: Clock;
  /** pino-compatible; a pino.Logger fits. */
  logger?: PoolLogger;
  /** Told about every request and failover (metrics). */
  observer?: RpcObserver;
}

export const RPC_POOL_DEFAULTS = {
  timeoutMs: 10_000,
  sendTimeoutMs: 5_000,
  probeTimeoutMs: 2_000,
  rate: "auto",
  maxRateWaitMs: 5_000,
  healthIntervalMs: 5_000,
  maxSlotLag: 50,
} as const;

/** getSignatureStatuses accepts at most 256 signatures per call. */
export const MAX_SIGNATURES_PER_CALL = 256;

export function createRpcPool(opts: RpcPoolOptions): RpcPool {
  if (opts.urls.length === 0) throw new CourierError("COURIER__CONFIG", "rpc pool needs at least one endpoint url");
  for (const url of opts.urls) {
    if (!/^https?:$/.test(safeProtocol(url))) throw new CourierError("COURIER__CONFIG", `rpc endpoint is not an http(s) url: ${redactUrl(url)}`);
  }
  const clock = opts.clock ?? systemClock;
  const d = RPC_POOL_DEFAULTS;
  const timeoutMs = opts.timeoutMs ?? d.timeoutMs;
  const sendTimeoutMs = opts.sendTimeoutMs ?? d.sendTimeoutMs;
  const rate: RpcRate = opts.ratePerSecond ?? opts.rate ?? d.rate;
  const breaker = opts.breaker ?? DEFAULT_BREAKER_OPTIONS;
  const endpoints = opts.urls.map((url, priority) =>
    createEndpoint({ url, priority, breaker, rate, clock, ...(opts.burst !== undefined ? { burst: opts.burst } : {}), ...(opts.logger ? { logger: opts.logger } : {}) }),
  );
  const sendWindow = createSendWindow(clock);
  const caller = createFailoverCaller({
    endpoints,
    clock,
    maxRateWaitMs: opts.maxRateWaitMs ?? d.maxRateWaitMs,
    onRateLimited: (method) => {
      if (method === "sendTransaction") sendWindow.onRateLimited();
    },
    ...(opts.observer ? { observer: opts.observer } : {}),
  });
  const healthIntervalMs = opts.healthIntervalMs ?? d.healthIntervalMs;
  const loop =
    healthIntervalMs > 0
      ? startHealthLoop({
          endpoints,
          caller,
          clock,
          intervalMs: healthIntervalMs,
          probeTimeoutMs: opts.probeTimeoutMs ?? d.probeTimeoutMs,
          maxSlotLag: opts.maxSlotLag ?? d.maxSlotLag,
          ...(opts.logger ? { logger: opts.logger } : {}),
        })
      : null;

  function call<T>(method: string, params: unknown[], o?: { timeoutMs?: number }): Promise<T> {
    return caller.call<T>(method, params, { timeoutMs: o?.timeoutMs ?? timeoutMs });
  }

  function sendParams(wire: Uint8Array, skipPreflight: boolean): unknown[] {
    return [Buffer.from(wire).toString("base64"), { encoding: "base64", skipPreflight, maxRetries: 0, preflightCommitment: "processed" }];
  }

  // First sends of one moment share a JSON-RPC batch request where the endpoint takes batches.
  const firstSends = createSendBatcher({
    caller,
    timeoutMs: sendTimeoutMs,
    sendOne: (params) => caller.call<string>("sendTransaction", params, { timeoutMs: sendTimeoutMs, send: true, reserved: true }),
    ...(opts.logger ? { logger: opts.logger } : {}),
  });

  async function broadcast(wire: Uint8Array, skipPreflight: boolean): Promise<string> {
    const targets = caller.available().filter((ep) => ep.budget.tryTake("sendTransaction") === 0 && ep.breaker.tryAcquire());
    if (targets.length === 0) return caller.call<string>("sendTransaction", sendParams(wire, skipPreflight), { timeoutMs: sendTimeoutMs, send: true });
    const results = await Promise.allSettled(targets.map((ep) => caller.attempt<string>(ep, "sendTransaction", sendParams(wire, skipPreflight), sendTimeoutMs)));
    const ok = results.find((r): r is PromiseFulfilledResult<string> => r.status === "fulfilled");
    if (ok) return ok.value;
    // Every copy failed: a definite node answer wins over silence, and silence means ambiguous.
    const errors = results.map((r) => (r as PromiseRejectedResult).reason);
    const answered = errors.find((e) => (e as { failure?: { kind?: string } }).failure?.kind === "json_rpc");
    if (answered) throw classifyRpcError(answered);
    const reached = errors.some((e) => (e as { failure?: { mayHaveReached?: boolean } }).failure?.mayHaveReached);
    if (reached) {
      throw new CourierError("COURIER__RPC__SEND_AMBIGUOUS", "sendTransaction: broadcast got no answer from any endpoint; the transaction may have landed", {
        signature: getSignatureFromWire(wire),
      });
    }
    throw caller.getUnavailableError("sendTransaction");
  }

  const pool: RpcPool = {
    call,
    sendWindow,
    async getLatestBlockhash(commitment = "confirmed") {
      const r = await call<{ value: { blockhash: string; lastValidBlockHeight: number } }>("getLatestBlockhash", [{ commitment }]);
      return { blockhash: r.value.blockhash, lastValidBlockHeight: r.value.lastValidBlockHeight };
    },
    getBlockHeight(commitment: Commitment = "confirmed") {
      return call<number>("getBlockHeight", [{ commitment }]);
    },
    async getSignatureStatuses(signatures, o) {
      const out: Array<SignatureStatus | null> = [];
      for (let i = 0; i < signatures.length; i += MAX_SIGNATURES_PER_CALL) {
        const chunk = signatures.slice(i, i + MAX_SIGNATURES_PER_CALL);
        const r = await call<{ value: Array<SignatureStatus | null> }>("getSignatureStatuses", [chunk, { searchTransactionHistory: o?.searchTransactionHistory ?? false }]);
        for (let j = 0; j < chunk.length; j += 1) out.push(r.value[j] ?? null);
      }
      return out;
    },
    async sendRawTransaction(wire, o) {
      const skipPreflight = o?.skipPreflight ?? true;
      if (o?.broadcast) return broadcast(wire, skipPreflight);
      try {
        if (o?.admitted && !o.rebroadcast) return await firstSends.send(sendParams(wire, skipPreflight));
        return await caller.call<string>("sendTransaction", sendParams(wire, skipPreflight), {
          timeoutMs: sendTimeoutMs,
          send: true,
          reserved: o?.admitted === true,
          // A rebroadcast only uses budget that is free now: first sends come first.
          ...(o?.rebroadcast ? { maxWaitMs: 0 } : {}),
        });
      } catch (e) {
        const err = coerceError(e);
        // The executor resolves an ambiguous send by this signature.
        if (err.code === "COURIER__RPC__SEND_AMBIGUOUS") err.context.signature = getSignatureFromWire(wire);
        throw err;
      }
    },
    async simulateTransaction(wire, o) {
      const config: Record<string, unknown> = { encoding: "base64", commitment: "processed" };
      if (o?.sigVerify !== undefined) config.sigVerify = o.sigVerify;
      if (o?.replaceRecentBlockhash !== undefined) config.replaceRecentBlockhash = o.replaceRecentBlockhash;
      const r = await call<{ value: { err: unknown; logs?: string[] | null; unitsConsumed?: number | null } }>("simulateTransaction", [Buffer.from(wire).toString("base64"), config]);
      return { err: r.value.err ?? null, logs: r.value.logs ?? null, unitsConsumed: r.value.unitsConsumed ?? null };
    },
    getRecentPrioritizationFees(accounts) {
      return call<Array<{ slot: number; prioritizationFee: number }>>("getRecentPrioritizationFees", [accounts]);
    },
    async getBalance(address, commitment: Commitment = "confirmed") {
      return (await call<{ value: number }>("getBalance", [address, { commitment }])).value;
    },
    async getAccountInfo(address) {
      const r = await call<{ value: { lamports: number; owner: string; data: [string, string] } | null }>("getAccountInfo", [address, { encoding: "base64", commitment: "confirmed" }]);
      if (!r.value) return null;
      return { lamports: r.value.lamports, owner: r.value.owner, data: new Uint8Array(Buffer.from(r.value.data[0], "base64")) };
    },
    getGenesisHash() {
      return call<string>("getGenesisHash", []);
    },
    admit: (method, signal) => caller.admit(method, signal),
    heldUpMs: (method) => caller.heldUpMs(method),
    unadmit: (method) => caller.unadmit(method),
    health: () => endpoints.map(getEndpointHealth),
    slotMs() {
      let best: number | null = null;
      for (const ep of endpoints) if (ep.slotMs !== null && (best === null || ep.slotMs < best)) best = ep.slotMs;
      return best;
    },
    allDown: () => endpoints.every((ep) => !ep.breaker.canRequest()),
    requestCounts: () => ({ ...caller.counts }),
    async close() {
      await loop?.stop();
    },
  };
  return pool;
}

/** The transaction's first signature (its id), read from the wire bytes: shortvec count, then 64-byte signatures. */
export function getSignatureFromWire(wire: Uint8Array): string {
  // Fewer than 128 signatures: the shortvec length is one byte.
  return bs58.encode(wire.subarray(1, 65));
}

function safeProtocol(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return "";
  }
}
