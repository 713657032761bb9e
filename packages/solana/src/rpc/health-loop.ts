/**
 * Periodic health probe of every endpoint: `getHealth`, then `getSlot`; an endpoint whose slot
 * lags the best endpoint by more than `maxSlotLag` is marked unhealthy (tried after the others).
 *
 * A pool of one endpoint has no slot lag to measure: while its calls are answered, they prove it
 * up, and a probe would only spend budget, so it is probed only after an interval without an
 * answer (or while its circuit is not closed).
 *
 * Probes go through the same breaker and rate limit as calls: an endpoint whose circuit is open
 * is not probed until its open interval has passed, and then the probe is the half-open probe
 * that closes (or re-opens) the circuit. The loop wakes when the next open interval ends, so a
 * recovered endpoint is back within one interval even with no traffic.
 */
import { coerceError, type Clock } from "@courier/agent";
import { isRpcTransportError } from "../errors/rpc-transport-error.js";
import { observeSlot, type Endpoint, type PoolLogger } from "./endpoint.js";
import type { FailoverCaller } from "./failover.js";

/** Never spin: the loop sleeps at least this long between rounds. */
const MIN_SLEEP_MS = 25;

export interface HealthLoopOptions {
  endpoints: Endpoint[];
  caller: FailoverCaller;
  clock: Clock;
  intervalMs: number;
  probeTimeoutMs: number;
  maxSlotLag: number;
  logger?: PoolLogger;
}

/** Probe every endpoint once (those whose breaker and rate limit allow it). */
export async function probeEndpoints(o: HealthLoopOptions): Promise<void> {
  const now = o.clock.now();
  const provenByCalls = (ep: Endpoint) =>
    o.endpoints.length === 1 && ep.breaker.state() === "closed" && ep.probeOk !== false && ep.answeredAt !== null && now - ep.answeredAt < o.intervalMs;
  await Promise.all(o.endpoints.filter((ep) => !provenByCalls(ep)).map((ep) => probeOne(ep, o)));
  const slots = o.endpoints.map((ep) => ep.slot).filter((s): s is number => s !== null);
  const best = slots.length > 0 ? Math.max(...slots) : null;
  for (const ep of o.endpoints) {
    ep.slotLag = best !== null && ep.slot !== null ? best - ep.slot : null;
    if (ep.slotLag !== null && ep.slotLag > o.maxSlotLag && ep.probeOk) {
      ep.probeOk = false;
      ep.lastError = `slot lag ${ep.slotLag} > ${o.maxSlotLag}`;
      o.logger?.warn({ endpoint: ep.label, slot_lag: ep.slotLag }, "rpc.endpoint_lagging");
    }
  }
}

async function probeOne(ep: Endpoint, o: HealthLoopOptions): Promise<void> {
  if (!acquire(ep, "getHealth")) return;
  let healthOk = true;
  try {
    await o.caller.attempt(ep, "getHealth", [], o.probeTimeoutMs);
  } catch (e) {
    // A 429 is a live endpoint asking for less traffic: it says nothing about its health.
    if (isRpcTransportError(e) && e.failure.kind === "rate_limited") return;
    healthOk = false;
    ep.lastError = coerceError(e).message;
    // No answer at all: the breaker has counted it; asking for the slot would only add load.
    // A JSON-RPC answer (-32005 "node is behind") is a live node: still read its slot.
    if (!(isRpcTransportError(e) && e.failure.kind === "json_rpc")) {
      ep.probeOk = false;
      return;
    }
  }
  if (!acquire(ep, "getSlot")) {
    ep.probeOk = healthOk;
    return;
  }
  try {
    const slot = await o.caller.attempt<number>(ep, "getSlot", [{ commitment: "processed" }], o.probeTimeoutMs);
    observeSlot(ep, slot, o.clock.now(), "probe");
    ep.probeOk = healthOk;
  } catch (e) {
    ep.probeOk = false;
    ep.lastError = coerceError(e).message;
  }
}

function acquire(ep: Endpoint, method: string): boolean {
  if (!ep.breaker.canRequest() || ep.budget.blockedUntil() > 0) return false;
  return ep.budget.tryTake(method) === 0 && ep.breaker.tryAcquire();
}

export function startHealthLoop(o: HealthLoopOptions): { stop(): Promise<void> } {
  const abort = new AbortController();
  const done = (async () => {
    while (!abort.signal.aborted) {
      try {
        await probeEndpoints(o);
      } catch (e) {
        o.logger?.warn({ err: coerceError(e).message }, "rpc.health_probe_failed");
      }
      if (abort.signal.aborted) break;
      const now = o.clock.now();
      const dueAt = o.endpoints.map((ep) => ep.breaker.openUntil()).filter((t): t is number => t !== null);
      const untilOpenEnds = dueAt.length > 0 ? Math.min(...dueAt) - now : Number.POSITIVE_INFINITY;
      await o.clock.sleep(Math.max(MIN_SLEEP_MS, Math.min(o.intervalMs, untilOpenEnds)), abort.signal);
    }
  })();
  return {
    async stop() {
      abort.abort();
      await done;
    },
  };
}
