/**
 * The pool's state for one endpoint: its breaker, its request budget and what the health loop and
 * the last calls learned about it. Only the redacted URL ever leaves this object.
 */
import type { Clock } from "@courier/agent";
import { createCircuitBreaker, type BreakerOptions, type CircuitBreaker } from "./circuit-breaker.js";
import { redactUrl } from "./redact-url.js";
import { createEndpointBudget, type EndpointBudget, type RpcRate } from "./endpoint-budget.js";
import type { CircuitState, EndpointHealth } from "./types.js";

export interface PoolLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
}

export interface Endpoint {
  readonly url: string;
  readonly label: string;
  readonly priority: number;
  readonly breaker: CircuitBreaker;
  readonly budget: EndpointBudget;
  /** Last health probe answered ok (getHealth) and the slot lag is within bounds. */
  probeOk: boolean | null;
  latencyMs: number | null;
  /** When a call (not a probe) was last answered without a failure: proof of life for the health loop. */
  answeredAt: number | null;
  slot: number | null;
  slotLag: number | null;
  lastError: string | null;
}

export function createEndpoint(opts: {
  url: string;
  priority: number;
  breaker: BreakerOptions;
  rate: RpcRate;
  burst?: number;
  clock: Clock;
  logger?: PoolLogger;
}): Endpoint {
  const label = redactUrl(opts.url);
  const onTransition = (from: CircuitState, to: CircuitState) => {
    // A circuit that just closed proved the endpoint answers; the next health probe re-grades it.
    if (to === "closed") endpoint.probeOk = null;
    const event = to === "open" ? "rpc.circuit_opened" : to === "closed" ? "rpc.circuit_closed" : "rpc.circuit_half_open";
    const log = { endpoint: label, from, to };
    // One line when an outage starts (closed → open) and one when it ends (→ closed); the
    // open ⇄ half_open cycle of every probe in between is debug, or an outage floods the log.
    if (from === "closed" && to === "open") opts.logger?.warn(log, event);
    else if (to === "closed") opts.logger?.info(log, event);
    else opts.logger?.debug?.(log, event);
  };
  const endpoint: Endpoint = {
    url: opts.url,
    label,
    priority: opts.priority,
    breaker: createCircuitBreaker({ ...opts.breaker, clock: opts.clock, onTransition }),
    budget: createEndpointBudget({ rate: opts.rate, clock: opts.clock, ...(opts.burst !== undefined ? { burst: opts.burst } : {}) }),
    probeOk: null,
    latencyMs: null,
    answeredAt: null,
    slot: null,
    slotLag: null,
    lastError: null,
  };
  return endpoint;
}

/** Healthy: circuit closed and the last probe (if any) found it up and not lagging. */
export function isEndpointHealthy(ep: Endpoint): boolean {
  return ep.breaker.state() === "closed" && ep.probeOk !== false;
}

export function getEndpointHealth(ep: Endpoint): EndpointHealth {
  return {
    endpoint: ep.label,
    healthy: isEndpointHealthy(ep),
    circuit: ep.breaker.state(),
    latency_ms: ep.latencyMs,
    slot: ep.slot,
    slot_lag: ep.slotLag,
    last_error: ep.lastError,
    down_since: ep.breaker.downSince(),
    rate_limit: ep.budget.snapshot(),
  };
}
