/**
 * The pool's core: send one JSON-RPC request to the first endpoint, in priority order (healthy
 * ones first), whose circuit and rate limit allow it; on an infrastructure failure move on to
 * the next. Every request is counted and bounded by a timeout.
 */
import { CourierError, type Clock } from "@courier/agent";
import { classifyRpcError } from "../errors/classify.js";
import { isInfraFailure, isRpcTransportError, type RpcTransportFailure } from "../errors/rpc-transport-error.js";
import { isEndpointHealthy, type Endpoint } from "./endpoint.js";
import { postJsonRpc } from "./json-rpc-transport.js";
import type { RpcObserver } from "./types.js";

/** Codes after which another endpoint may well answer: the node, not the request, was the problem. */
const FAILOVER_CODES = new Set(["COURIER__RPC__NODE_BEHIND", "COURIER__RPC__SERVER_ERROR", "COURIER__RPC__TIMEOUT", "COURIER__RPC__UNREACHABLE", "COURIER__RPC__RATE_LIMITED"]);
/** Bound on waits for a token within one call (each wait is at most maxRateWaitMs). */
const MAX_TOKEN_WAITS = 20;

export interface FailoverCaller {
  /** One request with failover; `send` makes failures after a possible delivery ambiguous. */
  call<T>(method: string, params: unknown[], opts: { timeoutMs: number; send?: boolean }): Promise<T>;
  /** One request to one endpoint, no failover (health probes, broadcast). */
  attempt<T>(ep: Endpoint, method: string, params: unknown[], timeoutMs: number): Promise<T>;
  /** Endpoints that can take a request right now, in the order they would be tried. */
  available(): Endpoint[];
  /** The error to throw when no endpoint can take a call. */
  getUnavailableError(method: string): CourierError;
  counts: Record<string, number>;
}

export function createFailoverCaller(opts: { endpoints: Endpoint[]; clock: Clock; maxRateWaitMs: number; observer?: RpcObserver }): FailoverCaller {
  const { endpoints, clock } = opts;
  const counts: Record<string, number> = {};

  function ordered(): Endpoint[] {
    return [...endpoints].sort((a, b) => Number(isEndpointHealthy(b)) - Number(isEndpointHealthy(a)) || a.priority - b.priority);
  }

  async function attempt<T>(ep: Endpoint, method: string, params: unknown[], timeoutMs: number): Promise<T> {
    counts[method] = (counts[method] ?? 0) + 1;
    const started = clock.now();
    try {
      const result = await postJsonRpc<T>({ url: ep.url, endpoint: ep.label, method, params, timeoutMs, now: started });
      ep.breaker.onSuccess();
      ep.latencyMs = clock.now() - started;
      opts.observer?.request({ endpoint: ep.label, method, duration_ms: clock.now() - started, result: "ok", kind: null });
      return result;
    } catch (e) {
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
        ep.bucket.blockUntil(clock.now() + (failure.retryAfterMs ?? 0));
        ep.lastError = e instanceof Error ? e.message : "rate limited";
      }
      throw e;
    }
  }

  /** The next endpoint to try, or how long until one has a token (Retry-After blocks do not wait). */
  function pick(tried: Set<Endpoint>): { ep: Endpoint } | { waitMs: number } | null {
    let waitMs = Number.POSITIVE_INFINITY;
    for (const ep of ordered()) {
      if (tried.has(ep) || !ep.breaker.canRequest() || ep.bucket.blockedUntil() > 0) continue;
      const wait = ep.bucket.tryTake();
      if (wait > 0) {
        waitMs = Math.min(waitMs, wait);
        continue;
      }
      if (ep.breaker.tryAcquire()) return { ep };
    }
    return waitMs <= opts.maxRateWaitMs ? { waitMs } : null;
  }

  function getUnavailableError(method: string): CourierError {
    if (endpoints.every((ep) => !ep.breaker.canRequest())) {
      return new CourierError("COURIER__RPC__ALL_ENDPOINTS_DOWN", `${method}: every rpc endpoint is down (circuits open)`, {
        method,
        endpoints: endpoints.map((ep) => ({ endpoint: ep.label, circuit: ep.breaker.state(), last_error: ep.lastError })),
      });
    }
    const blocked = endpoints.map((ep) => ep.bucket.blockedUntil()).filter((t) => t > 0);
    const retryAfter = blocked.length > 0 ? Math.max(0, Math.min(...blocked) - clock.now()) : null;
    return new CourierError("COURIER__RPC__RATE_LIMITED", `${method}: every available rpc endpoint is rate-limited`, { method, retry_after_ms: retryAfter });
  }

  async function call<T>(method: string, params: unknown[], o: { timeoutMs: number; send?: boolean }): Promise<T> {
    const tried = new Set<Endpoint>();
    let last: CourierError | null = null;
    let lastFailure: RpcTransportFailure | null = null;
    let mayHaveReached = false;
    let waits = 0;
    for (;;) {
      const next = pick(tried);
      if (next === null) break;
      if ("waitMs" in next) {
        if (waits++ >= MAX_TOKEN_WAITS) break;
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
    if (last === null || none.code === "COURIER__RPC__ALL_ENDPOINTS_DOWN") throw none;
    throw last;
  }

  return {
    call,
    attempt,
    available: () => ordered().filter((ep) => ep.breaker.canRequest() && ep.bucket.blockedUntil() === 0),
    getUnavailableError,
    counts,
  };
}
