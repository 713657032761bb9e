/**
 * The pool's core: send one JSON-RPC request to the first endpoint, in priority order (healthy
 * ones first), whose circuit and request budget allow it; on an infrastructure failure move on to
 * the next. Every request is counted and bounded by a timeout. A call over every endpoint's
 * budget (or blocked by Retry-After) waits up to maxRateWaitMs, then fails with
 * COURIER__RPC__BACKPRESSURE; a call no endpoint could serve (5xx, timeouts, unreachable)
 * fails with COURIER__RPC__ALL_ENDPOINTS_FAILING. Both are infra: never the op's fault.
 */
import { CourierError, type Clock } from "@courier/agent";
import { classifyRpcError } from "../errors/classify.js";
import { isInfraFailure, isRpcTransportError, type RpcTransportFailure } from "../errors/rpc-transport-error.js";
import { isEndpointHealthy, observeSlot, type Endpoint } from "./endpoint.js";
import { type BatchAnswer, postJsonRpc, postJsonRpcBatch } from "./json-rpc-transport.js";
import type { RpcObserver } from "./types.js";

/** Codes after which another endpoint may well answer: the node, not the request, was the problem. */
const FAILOVER_CODES = new Set(["COURIER__RPC__NODE_BEHIND", "COURIER__RPC__SERVER_ERROR", "COURIER__RPC__TIMEOUT", "COURIER__RPC__UNREACHABLE", "COURIER__RPC__RATE_LIMITED"]);
/** 429s one call takes before it reports backpressure (each also waits out its Retry-After). */
const MAX_REFUSALS_PER_CALL = 4;

export interface CallOptions {
  timeoutMs: number;
  /** A transaction send: failures after a possible delivery are ambiguous. */
  send?: boolean;
  /** Use the request admission reserved for this call (see EndpointBudget.reserve). */
  reserved?: boolean;
  /** Longest wait for budget (default: the pool's maxRateWaitMs; 0: now or never). */
  maxWaitMs?: number;
}

export interface FailoverCaller {
  /** One request with failover; `send` makes failures after a possible delivery ambiguous. */
  call<T>(method: string, params: unknown[], opts: CallOptions): Promise<T>;
  /** One request to one endpoint, no failover (health probes, broadcast). */
  attempt<T>(ep: Endpoint, method: string, params: unknown[], timeoutMs: number): Promise<T>;
  /** One JSON-RPC batch request to one endpoint, no failover ("refused": the endpoint takes no batches). */
  attemptBatch<T>(ep: Endpoint, method: string, paramsList: unknown[][], timeoutMs: number): Promise<BatchAnswer<T>[] | "refused">;
  /** Endpoints that can take a request right now, in the order they would be tried. */
  available(): Endpoint[];
  /** Admission: wait until `method` fits some endpoint's budget and reserve that request. */
  admit(method: string, signal?: AbortSignal): Promise<void>;
  /** Ms until a `method` request could leave some endpoint (Retry-After), 0 when one can now. */
  heldUpMs(method: string): number;
  /** Give back an admission whose request will not be made. */
  unadmit(method: string): void;
  /** The error to throw when no endpoint can take a call. */
  getUnavailableError(method: string): CourierError;
  counts: Record<string, number>;
}

export function createFailoverCaller(opts: {
  endpoints: Endpoint[];
  clock: Clock;
  maxRateWaitMs: number;
  observer?: RpcObserver;
  /** Told of every 429 (the send window halves on one for sendTransaction). */
  onRateLimited?: (method: string) => void;
}): FailoverCaller {
  const { endpoints, clock } = opts;
  const counts: Record<string, number> = {};

  function ordered(): Endpoint[] {
    return [...endpoints].sort((a, b) => Number(isEndpointHealthy(b)) - Number(isEndpointHealthy(a)) || a.priority - b.priority);
  }

  function onAnswered(ep: Endpoint, method: string, started: number, answers: number, kind: string | null): void {
    ep.breaker.onSuccess();
    const latency = clock.now() - started;
    for (let i = 0; i < answers; i++) ep.budget.onAnswered(method, i === 0 ? latency : undefined);
    ep.latencyMs = latency;
    ep.answeredAt = clock.now();
    opts.observer?.request({ endpoint: ep.label, method, duration_ms: clock.now() - started, result: "ok", kind });
  }

  function onFailed(ep: Endpoint, method: string, started: number, e: unknown): void {
    const failure = isRpcTransportError(e) ? e.failure : null;
    const result = failure?.kind === "rate_limited" ? "rate_limited" : "error";
    opts.observer?.request({ endpoint: ep.label, method, duration_ms: clock.now() - started, result, kind: failure?.kind ?? "other" });
    if (failure && isInfraFailure(failure.kind)) {
      ep.breaker.onFailure();
      ep.lastError = e instanceof Error ? e.message : "request failed";
    } else {
      // The node answered (JSON-RPC error, 429): it is up.
      ep.breaker.onSuccess();
      ep.latencyMs = clock.now() - started;
    }
    if (failure?.kind === "rate_limited") {
      ep.budget.onRateLimited(method, failure.retryAfterMs ?? 0);
      opts.onRateLimited?.(method);
      ep.lastError = e instanceof Error ? e.message : "rate limited";
    } else if (failure?.kind === "json_rpc") ep.budget.onAnswered(method);
  }

  /** An answer's `context.slot` (see observeSlot). */
  function noteSlot(ep: Endpoint, result: unknown): void {
    const slot = (result as { context?: { slot?: unknown } } | null)?.context?.slot;
    if (typeof slot !== "number" || !Number.isSafeInteger(slot)) return;
    observeSlot(ep, slot, clock.now(), "answer");
  }

  async function attempt<T>(ep: Endpoint, method: string, params: unknown[], timeoutMs: number): Promise<T> {
    counts[method] = (counts[method] ?? 0) + 1;
    const started = clock.now();
    try {
      const result = await postJsonRpc<T>({ url: ep.url, endpoint: ep.label, method, params, timeoutMs, now: started });
      onAnswered(ep, method, started, 1, null);
      noteSlot(ep, result);
      return result;
    } catch (e) {
      onFailed(ep, method, started, e);
      throw e;
    }
  }

  async function attemptBatch<T>(ep: Endpoint, method: string, paramsList: unknown[][], timeoutMs: number): Promise<BatchAnswer<T>[] | "refused"> {
    counts[method] = (counts[method] ?? 0) + paramsList.length;
    const started = clock.now();
    try {
      const answers = await postJsonRpcBatch<T>({ url: ep.url, endpoint: ep.label, method, paramsList, timeoutMs, now: started });
      onAnswered(ep, method, started, answers === "refused" ? 0 : answers.length, answers === "refused" ? "batch_refused" : null);
      return answers;
    } catch (e) {
      onFailed(ep, method, started, e);
      throw e;
    }
  }

  /** The next endpoint to try, or how long until one fits its budget for `method`. */
  function pick(tried: Set<Endpoint>, take: (ep: Endpoint) => number): { ep: Endpoint } | { waitMs: number } | null {
    let waitMs = Number.POSITIVE_INFINITY;
    for (const ep of ordered()) {
      if (tried.has(ep) || !ep.breaker.canRequest()) continue;
      const wait = take(ep);
      if (wait > 0) {
        waitMs = Math.min(waitMs, wait);
        continue;
      }
      if (ep.breaker.tryAcquire()) return { ep };
    }
    return Number.isFinite(waitMs) ? { waitMs } : null;
  }

  function getUnavailableError(method: string): CourierError {
    if (endpoints.every((ep) => !ep.breaker.canRequest())) {
      return new CourierError("COURIER__RPC__ALL_ENDPOINTS_DOWN", `${method}: every rpc endpoint is down (circuits open)`, {
        method,
        endpoints: endpoints.map((ep) => ({ endpoint: ep.label, circuit: ep.breaker.state(), last_error: ep.lastError })),
      });
    }
    const blocked = endpoints.map((ep) => ep.budget.blockedUntil()).filter((t) => t > 0);
    const retryAfter = blocked.length > 0 ? Math.max(0, Math.min(...blocked) - clock.now()) : null;
    return new CourierError("COURIER__RPC__BACKPRESSURE", `${method}: every available rpc endpoint is rate-limited or over its request budget`, {
      method,
      retry_after_ms: retryAfter,
    });
  }

  /** Wait (bounded by maxRateWaitMs) until some endpoint fits a `method` request; reserve it. */
  async function admit(method: string, signal?: AbortSignal): Promise<void> {
    const deadline = clock.now() + opts.maxRateWaitMs;
    for (;;) {
      let waitMs = Number.POSITIVE_INFINITY;
      for (const ep of ordered()) {
        if (!ep.breaker.canRequest()) continue;
        const wait = ep.budget.reserve(method);
        if (wait === 0) return;
        waitMs = Math.min(waitMs, wait);
      }
      const left = deadline - clock.now();
      if (!Number.isFinite(waitMs) || waitMs > left || signal?.aborted) throw getUnavailableError(method);
      await clock.sleep(waitMs, signal);
    }
  }

  async function call<T>(method: string, params: unknown[], o: CallOptions): Promise<T> {
    const tried = new Set<Endpoint>();
    const deadline = clock.now() + (o.maxWaitMs ?? opts.maxRateWaitMs);
    let last: CourierError | null = null;
    let lastFailure: RpcTransportFailure | null = null;
    let mayHaveReached = false;
    let refusals = 0;
    for (;;) {
      const next = pick(tried, (ep) => ep.budget.tryTake(method, o.reserved === true));
      if (next === null) break;
      if ("waitMs" in next) {
        // Over budget or told to wait (Retry-After): wait here, within the call's bound.
        if (next.waitMs > deadline - clock.now()) break;
        await clock.sleep(next.waitMs);
        continue;
      }
      tried.add(next.ep);
      try {
        return await attempt<T>(next.ep, method, params, o.timeoutMs);
      } catch (e) {
        const classified = classifyRpcError(e);
        lastFailure = isRpcTransportError(e) ? e.failure : null;
        if (lastFailure?.kind !== "json_rpc" && lastFailure?.mayHaveReached) mayHaveReached = true;
        last = classified;
        // A 429 refused the request unread: the same endpoint may take it once its block ends,
        // and an admitted request keeps its reservation (a signed transaction goes first).
        if (lastFailure?.kind === "rate_limited" && refusals++ < MAX_REFUSALS_PER_CALL) {
          tried.delete(next.ep);
          if (o.reserved) next.ep.budget.refund(method);
        }
        // A definite answer ends the call, unless an earlier copy of this send may have
        // reached a node: then only "ambiguous" is honest (the transaction may have landed).
        if (!FAILOVER_CODES.has(classified.code) && !(o.send && mayHaveReached && classified.outcome !== "ambiguous")) throw classified;
        if (!FAILOVER_CODES.has(classified.code)) break;
        opts.observer?.failover({ method, from: next.ep.label });
      }
    }
    if (o.send && mayHaveReached) {
      throw new CourierError(
        "COURIER__RPC__SEND_AMBIGUOUS",
        `${method}: the transaction may have reached a node but no answer came back (${last?.message ?? "no answer"})`,
        { method, endpoint: lastFailure?.endpoint ?? null, last_code: last?.code ?? null },
        { cause: last ?? undefined },
      );
    }
    const none = getUnavailableError(method);
    if (last === null || none.code === "COURIER__RPC__ALL_ENDPOINTS_DOWN" || last.code === "COURIER__RPC__RATE_LIMITED") throw none;
    if (FAILOVER_CODES.has(last.code)) {
      // No endpoint could serve the call (5xx, timeouts, unreachable, behind): an outage, not the op's fault.
      throw new CourierError("COURIER__RPC__ALL_ENDPOINTS_FAILING", `${method}: no rpc endpoint could serve the call (${last.message})`, {
        method,
        last_code: last.code,
        endpoints: endpoints.map((ep) => ({ endpoint: ep.label, circuit: ep.breaker.state(), last_error: ep.lastError })),
      }, { cause: last });
    }
    throw last;
  }

  return {
    call,
    attempt,
    attemptBatch,
    available: () => ordered().filter((ep) => ep.breaker.canRequest() && ep.budget.blockedUntil() === 0),
    admit,
    heldUpMs(method) {
      const waits = ordered()
        .filter((ep) => ep.breaker.canRequest())
        .map((ep) => ep.budget.blockedMs(method));
      return waits.length > 0 ? Math.min(...waits) : 0;
    },
    unadmit(method) {
      for (const ep of ordered()) if (ep.budget.unreserve(method)) return;
    },
    getUnavailableError,
    counts,
  };
}
