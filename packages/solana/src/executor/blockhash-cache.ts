/**
 * The latest blockhash, shared by every op for a short while: a blockhash is valid for ~150
 * blocks, so reusing one for a second costs little validity and saves an RPC call per op.
 */
import type { Clock } from "@courier/agent";
import type { RpcPool } from "../rpc/types.js";

export interface BlockhashCache {
  get(opts?: { fresh?: boolean }): Promise<{ blockhash: string; lastValidBlockHeight: number }>;
}

export function createBlockhashCache(opts: { pool: RpcPool; clock: Clock; ttlMs: number }): BlockhashCache {
  let cached: { value: { blockhash: string; lastValidBlockHeight: number }; at: number } | null = null;
  let inFlight: Promise<{ blockhash: string; lastValidBlockHeight: number }> | null = null;
  return {
    async get({ fresh = false } = {}) {
      if (!fresh && cached && opts.clock.now() - cached.at < opts.ttlMs) return cached.value;
      if (fresh || !inFlight) {
        const p: Promise<{ blockhash: string; lastValidBlockHeight: number }> = opts.pool
          .getLatestBlockhash("confirmed")
          .then((value) => {
            cached = { value, at: opts.clock.now() };
            return value;
          })
          .finally(() => {
            // A failed fetch must not be shared with later callers.
            if (inFlight === p) inFlight = null;
          });
        inFlight = p;
        return p;
      }
      return inFlight;
    },
  };
}
