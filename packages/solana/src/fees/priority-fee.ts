/**
 * Compute-unit price from `getRecentPrioritizationFees` over the transaction's writable
 * accounts (what the fee market prices: contention on the accounts it locks for writing): a
 * percentile of the non-zero per-slot values, cached per account for a few seconds, and the
 * misses of one moment fetched together, so the hot path does not pay an RPC round trip per op.
 */
import { type Clock, type CourierError, coerceError } from "@courier/agent";
import type { RpcPool } from "../rpc/types.js";

export interface PriorityFeeEstimator {
  /** Micro-lamports per compute unit for a transaction writing `accounts` (0 when they show no fee pressure). */
  estimate(accounts?: readonly string[]): Promise<number>;
}

/** Accounts remembered (cleared when full: a miss only costs a share of one RPC call). */
const MAX_CACHED_ACCOUNTS = 16_384;
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
  /** Per account: the price of a recent fetch whose account set included it. */
  const cache = new Map<string, { value: number; at: number }>();
  let lastKnown = 0;
  /** Accounts asked for since the last fetch went out, and who waits for it. */
  let batch: { accounts: Set<string>; done: Promise<number> } | null = null;
  /** The last request sent (or about to be): the next batch goes out after it. */
  let previous: Promise<void> = Promise.resolve();
  let lastFetchAt = Number.NEGATIVE_INFINITY;
  /** Accounts first seen since the last fetch, priced at the last known value until the next one. */
  const unpriced = new Set<string>();

  async function fetchEstimate(accounts: string[]): Promise<number> {
    lastFetchAt = opts.clock.now();
    for (const a of unpriced) if (accounts.length < MAX_ACCOUNTS && !accounts.includes(a)) accounts.push(a);
    unpriced.clear();
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
      value = lastKnown;
      opts.onError?.(coerceError(e));
    }
    if (cache.size + accounts.length > MAX_CACHED_ACCOUNTS) cache.clear();
    const at = opts.clock.now();
    for (const a of accounts) cache.set(a, { value, at });
    return value;
  }

  /** The cached price of a transaction locking all of `set`: the highest of its accounts' (null on a miss). */
  function cached(set: readonly string[]): number | null {
    const now = opts.clock.now();
    let value = 0;
    for (const a of set) {
      const hit = cache.get(a);
      if (!hit || now - hit.at >= cacheMs) return null;
      value = Math.max(value, hit.value);
    }
    return value;
  }

  /** The highest fresh price among the accounts of `set` already priced (null when none is). */
  function knownPart(set: readonly string[]): number | null {
    const now = opts.clock.now();
    let value: number | null = null;
    for (const a of set) {
      const hit = cache.get(a);
      if (hit && now - hit.at < cacheMs) value = Math.max(value ?? 0, hit.value);
    }
    return value;
  }

  return {
    async estimate(accounts = []) {
      const set = [...new Set(accounts)].slice(0, MAX_ACCOUNTS);
      const hit = cached(set);
      if (hit !== null) return hit;
      // A market read less than cacheMs ago: accounts it did not cover (a fresh recipient, one
      // op at a time) take its price until the next read, which includes them. Ops spread out
      // then cost one fee request per cacheMs, not one each.
      const known = knownPart(set);
      if (known !== null && opts.clock.now() - lastFetchAt < cacheMs) {
        const now = opts.clock.now();
        for (const a of set) if (now - (cache.get(a)?.at ?? Number.NEGATIVE_INFINITY) >= cacheMs && unpriced.size < MAX_ACCOUNTS) unpriced.add(a);
        return Math.max(known, lastKnown);
      }
      // Misses of the same moment share ONE request over the union of their accounts: a
      // transaction locking all of them is priced at least as high as each (conservative),
      // and a burst of ops with fresh recipients costs one call per batch, not one per op.
      // While one request is out, misses gather for the next (bigger batches under load).
      if (!batch || batch.accounts.size + set.length > MAX_ACCOUNTS) {
        const accountsOfBatch = new Set<string>();
        const done = Promise.all([previous, new Promise<void>((resolve) => setImmediate(resolve))]).then(() => {
          if (batch?.accounts === accountsOfBatch) batch = null;
          return fetchEstimate([...accountsOfBatch]);
        });
        previous = done.then(() => undefined);
        batch = { accounts: accountsOfBatch, done };
      }
      for (const a of set) batch.accounts.add(a);
      return batch.done;
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
