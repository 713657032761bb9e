/**
 * Compute-unit price from `getRecentPrioritizationFees`: a percentile of the non-zero values,
 * cached for a few seconds so the hot path does not pay an RPC round trip per op.
 */
import { type Clock, type CourierError, coerceError } from "@courier/agent";
import type { RpcPool } from "../rpc/types.js";

export interface PriorityFeeEstimator {
  /** Micro-lamports per compute unit (0 when the cluster shows no fee pressure). */
  estimate(): Promise<number>;
}

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
  let cached: { value: number; at: number } | null = null;
  let inFlight: Promise<number> | null = null;

  async function fetchEstimate(): Promise<number> {
    let value: number;
    try {
      const fees = await opts.pool.getRecentPrioritizationFees([]);
      value = getPercentile(
        fees.map((f) => f.prioritizationFee).filter((f) => f > 0),
        percentile,
      );
    } catch (e) {
      // A missing estimate must not stop payments: keep the last known price (0 if none) and
      // try again after the cache interval instead of on every op.
      value = cached?.value ?? 0;
      opts.onError?.(coerceError(e));
    }
    cached = { value, at: opts.clock.now() };
    return value;
  }

  return {
    async estimate() {
      if (cached && opts.clock.now() - cached.at < cacheMs) return cached.value;
      // One refresh at a time: concurrent ops share it.
      inFlight ??= fetchEstimate().finally(() => {
        inFlight = null;
      });
      return inFlight;
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
