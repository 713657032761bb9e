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

/** `store` whose spend reservations and releases are also counted. */
export function withSpendMetrics<S extends Store>(store: S, metrics: AdminMetrics): S {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === "reserveSpend") {
        return async (args: Parameters<Store["reserveSpend"]>[0]) => {
          const total = await target.reserveSpend(args);
          if (total !== null) metrics.observeSpend({ signer: args.signer, lamports: args.lamports });
          return total;
        };
      }
      if (prop === "releaseSpend") {
        return async (args: Parameters<Store["releaseSpend"]>[0]) => {
          await target.releaseSpend(args);
          metrics.observeSpendReleased({ signer: args.signer, lamports: args.lamports });
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
