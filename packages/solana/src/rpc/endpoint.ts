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
  /** Measured ms per slot (observeSlot), null until two answers far enough apart were seen. */
  slotMs: number | null;
  /** The (slot, time) the next slot-time sample is measured from. */
  slotMark: { slot: number; at: number } | null;
  slotLag: number | null;
  lastError: string | null;
}

/** A slot-time sample spans at least this long and this many slots. */
const SLOT_SAMPLE_MS = 300;
const SLOT_SAMPLE_SLOTS = 2;
/** A slot this far below the mark is a restarted or different node; less is commitment noise. */
const SLOT_RESET_DROP = 64;

/**
 * A slot the endpoint reported, at `now`: keeps `ep.slot` current and times the slots. A probe's
 * `getSlot` is the endpoint's slot as it is (a restarted node may go back); a call's
 * `context.slot` keeps it current between probes (a lone endpoint whose calls are answered is not
 * probed) and never moves it back.
 */
export function observeSlot(ep: Endpoint, slot: number, now: number, from: "probe" | "answer"): void {
  if (from === "probe" || ep.slot === null || slot > ep.slot) ep.slot = slot;
  timeSlots(ep, slot, now);
}

/**
 * Learn the endpoint's slot time (`slotMs`) from the slots its answers show (a call's `context.slot`, a
 * probe's `getSlot`) and when they arrived. Measured from the process's first answer on, so a
 * burst that starts a while after boot already knows the cluster's rhythm (the status poller
 * polls once per slot). A slot well below the mark (a restarted node) starts a new sample; one
 * a little below it (`getSlot` at `processed` next to a call's context) is ignored.
 */
function timeSlots(ep: Endpoint, slot: number, now: number): void {
  const mark = ep.slotMark;
  if (mark === null || slot < mark.slot - SLOT_RESET_DROP) {
    ep.slotMark = { slot, at: now };
    return;
  }
  const slots = slot - mark.slot;
  if (now - mark.at < SLOT_SAMPLE_MS || slots < SLOT_SAMPLE_SLOTS) return;
  ep.slotMs = (now - mark.at) / slots;
  ep.slotMark = { slot, at: now };
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
    slotMs: null,
    slotMark: null,
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
