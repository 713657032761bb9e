/**
 * Feeds the process metrics from the parts that know: the RPC pool's observer (requests,
 * failovers), the signer balance the alert monitor fetches, and the store's spend reservations.
 * Wrappers keep the pool, the store and the alert checks free of any metrics dependency.
 */
import type { AdminMetrics } from "@courier/admin";
import type { Store } from "@courier/agent";
import type { RpcObserver } from "@courier/solana";

export function getRpcObserver(metrics: AdminMetrics): RpcObserver {
  return {
    request: (o) => metrics.observeRpcRequest(o),
    failover: (o) => metrics.observeRpcFailover(o),
  };
}

/** `rpc` whose getBalance also records the balance it fetched. */
export function withBalanceMetric<T extends { getBalance(address: string): Promise<number> }>(rpc: T, metrics: AdminMetrics): T {
  return new Proxy(rpc, {
    get(target, prop) {
      if (prop === "getBalance") {
        return async (address: string) => {
          const lamports = await target.getBalance(address);
          metrics.setSignerBalance(address, lamports);
          return lamports;
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** `store` whose spend reservations (single or batched) and releases are also counted. */
export function withSpendMetrics<S extends Store>(store: S, metrics: AdminMetrics): S {
  const counted: Partial<Store> = {
    reserveSpend: async (args) => {
      const total = await store.reserveSpend(args);
      if (total !== null) metrics.observeSpend({ signer: args.signer, lamports: args.lamports });
      return total;
    },
    reserveSpends: async (batch) => {
      const totals = await store.reserveSpends(batch);
      totals.forEach((total, i) => {
        const args = batch[i];
        if (total !== null && args) metrics.observeSpend({ signer: args.signer, lamports: args.lamports });
      });
      return totals;
    },
    releaseSpend: async (args) => {
      await store.releaseSpend(args);
      metrics.observeSpendReleased({ signer: args.signer, lamports: args.lamports });
    },
  };
  // Every other verb bound once, not on each access (the crank calls the store per op).
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, prop) {
      if (Object.hasOwn(counted, prop)) return counted[prop as keyof Store];
      if (bound.has(prop)) return bound.get(prop);
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      const fn = value.bind(target);
      bound.set(prop, fn);
      return fn;
    },
  });
}
