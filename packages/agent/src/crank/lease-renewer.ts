/**
 * Keeps the leases of held ops alive: every leaseMs / 3, ONE batched renewLeases call for all
 * of them. An op the store no longer gives back was lost (its lease expired and someone
 * reclaimed it, or an operator cancelled it): its attempt's signal is aborted so the executor
 * stops, and its finishAttempt will return false. When the store cannot be reached, an op whose
 * last known lease has passed is treated as lost too: someone else may own it by now.
 */
import type { Logger } from "pino";
import { CourierError, coerceError } from "../errors.js";
import type { ClaimStore, Clock } from "../types.js";
import type { HeldOp } from "./held-op.js";

export interface LeaseRenewerDeps {
  store: ClaimStore;
  clock: Clock;
  owner: string;
  leaseMs: number;
  held: Map<string, HeldOp>;
  logger: Logger;
}

export interface LeaseRenewer {
  /** Renew until `signal` aborts. */
  run(signal: AbortSignal): Promise<void>;
  renewNow(): Promise<void>;
}

export function createLeaseRenewer(deps: LeaseRenewerDeps): LeaseRenewer {
  const { store, clock, owner, leaseMs, held, logger } = deps;
  const intervalMs = Math.max(1, Math.floor(leaseMs / 3));

  const loseLease = (id: string, h: HeldOp) => {
    if (h.ending || h.controller.signal.aborted) return;
    h.abortReason = "lease";
    h.controller.abort(new CourierError("COURIER__OP__LEASE_LOST", "the lease on this op was lost", { op_id: id }));
    logger.warn({ op_id: id, instance: owner }, "op.lease_lost");
  };

  const renewNow = async () => {
    const ids = [...held.keys()];
    if (ids.length === 0) return;
    const now = clock.now();
    try {
      const kept = new Set(await store.renewLeases({ ids, owner, now, lease_ms: leaseMs }));
      for (const id of ids) {
        const h = held.get(id);
        if (!h) continue; // finished while we were renewing
        if (kept.has(id)) h.leaseUntil = Math.max(h.leaseUntil, now + leaseMs);
        else loseLease(id, h);
      }
    } catch (e) {
      const error = coerceError(e);
      logger.warn({ error: error.toJSON(), instance: owner }, "crank.renew_failed");
      const t = clock.now();
      for (const [id, h] of held) if (h.leaseUntil <= t) loseLease(id, h);
    }
  };

  return {
    renewNow,
    async run(signal) {
      // One listener on the caller's signal, a fresh signal per sleep: a clock that does not
      // detach its abort listener after a normal wake-up must not pile them up on `signal`.
      let current: AbortController | null = null;
      signal.addEventListener("abort", () => current?.abort(), { once: true });
      while (!signal.aborted) {
        current = new AbortController();
        await clock.sleep(intervalMs, current.signal);
        if (signal.aborted) break;
        await renewNow();
      }
    },
  };
}
