/**
 * Compute-unit price from `getRecentPrioritizationFees` over the transaction's writable
 * accounts (what the fee market prices: contention on the accounts it locks for writing): a
 * percentile of the non-zero per-slot values, cached per account set for a few seconds so the
 * hot path does not pay an RPC round trip per op.
 */
import { type Clock, type CourierError, coerceError } from "@courier/agent";
import type { RpcPool } from "../rpc/types.js";

export interface PriorityFeeEstimator {
  /** Micro-lamports per compute unit for a transaction writing `accounts` (0 when they show no fee pressure). */
  estimate(accounts?: readonly string[]): Promise<number>;
}

/** Account sets remembered (cleared when full: a miss only costs one RPC call). */
const MAX_CACHED_SETS = 1_024;
/** getRecentPrioritizationFees takes at most 128 addresses. */
const MAX_ACCOUNTS = 128;

export function createPriorityFeeEstimator(opts: {
  pool: RpcPool;
  clock: Clock;
  /** Percentile (0..100) of the non-zero recent fees. Default 75. */
  percentile?: number;
  /** How long an estimate is reused. Default 5000 ms. */
  cacheMs?: number;
  /** Told when an estimate could not be fetched (the last known price is used). */
  onError?: (error: CourierError) => void;
}): PriorityFeeEstimator {
  const percentile = opts.percentile ?? 75;
  const cacheMs = opts.cacheMs ?? 5_000;
  const cache = new Map<string, { value: number; at: number }>();
  const inFlight = new Map<string, Promise<number>>();
  let lastKnown = 0;

  async function fetchEstimate(key: string, accounts: string[]): Promise<number> {
    let value: number;
    try {
      const fees = await opts.pool.getRecentPrioritizationFees(accounts);
      value = getPercentile(
        fees.map((f) => f.prioritizationFee).filter((f) => f > 0),
        percentile,
      );
      lastKnown = value;
    } catch (e) {
      // A missing estimate must not stop payments: keep the last known price (0 if none) and
      // try again after the cache interval instead of on every op.
      value = cache.get(key)?.value ?? lastKnown;
      opts.onError?.(coerceError(e));
    }
    if (cache.size >= MAX_CACHED_SETS) cache.clear();
    cache.set(key, { value, at: opts.clock.now() });
    return value;
  }

  return {
    async estimate(accounts = []) {
      const set = [...new Set(accounts)].sort().slice(0, MAX_ACCOUNTS);
      const key = set.join(",");
      const hit = cache.get(key);
      if (hit && opts.clock.now() - hit.at < cacheMs) return hit.value;
      // One refresh per account set at a time: concurrent ops share it.
      let pending = inFlight.get(key);
      if (!pending) {
        pending = fetchEstimate(key, set).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      return pending;
    },
  };
}

/** Nearest-rank percentile of `values` (0 for none). */
export function getPercentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((Math.min(100, Math.max(0, p)) / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)] ?? 0;
}

/** The price for a re-signed transaction: raised so it competes better, never above the ceiling. */
export function getRaisedPrice(price: number, ceiling: number | null, factor = 1.5): number {
  // No fee pressure (price 0): raising would only add cost, not priority.
  if (price <= 0) return 0;
  const raised = Math.max(Math.ceil(price * factor), price + 1);
  return ceiling === null ? raised : Math.min(raised, ceiling);
}
