/**
 * The latest blockhash, shared by every new transaction for a while. A blockhash is valid for
 * 150 blocks after the one it names; a transaction signed with a shared one keeps at least
 * `KEEP_BLOCKS` of them to land in. How long that is in time depends on the cluster's block
 * rhythm, which the cache learns from its own fetches (the height behind each blockhash is its
 * `lastValidBlockHeight` − 150): 5 s at the localnet's 100 ms blocks, 20 s (the cap) at 400 ms.
 * Until it has learned the rhythm, and with a fixed `ttlMs`, a blockhash is reused for 1 s.
 */
import type { Clock } from "@courier/agent";
import type { RpcPool } from "../rpc/types.js";

export interface BlockhashCache {
  get(opts?: { fresh?: boolean }): Promise<{ blockhash: string; lastValidBlockHeight: number }>;
  /** How long a fetched blockhash is reused now, in ms. */
  reuseMs(): number;
}

/** Validity window of a blockhash, in blocks (max processing age). */
const VALID_BLOCKS = 150;
/** A shared blockhash is reused only while at least this many of its blocks are left. */
const KEEP_BLOCKS = 100;
const DEFAULT_REUSE_MS = 1_000;
const MAX_REUSE_MS = 20_000;
/** Two fetches this far apart measure the block rhythm well enough. */
const MIN_SAMPLE_MS = 500;

type Blockhash = { blockhash: string; lastValidBlockHeight: number };

export function createBlockhashCache(opts: { pool: RpcPool; clock: Clock; ttlMs?: number }): BlockhashCache {
  let cached: { value: Blockhash; at: number } | null = null;
  let inFlight: Promise<Blockhash> | null = null;
  let msPerBlock: number | null = null;

  function learn(value: Blockhash, at: number): void {
    if (!cached || at - cached.at < MIN_SAMPLE_MS) return;
    const blocks = value.lastValidBlockHeight - cached.value.lastValidBlockHeight;
    // Never learn a faster rhythm than a block per 10 ms, nor from a lagging answer.
    if (blocks > 0) msPerBlock = Math.max(10, (at - cached.at) / blocks);
  }

  function reuseMs(): number {
    if (opts.ttlMs !== undefined) return opts.ttlMs;
    if (msPerBlock === null) return DEFAULT_REUSE_MS;
    return Math.min(MAX_REUSE_MS, Math.max(DEFAULT_REUSE_MS, (VALID_BLOCKS - KEEP_BLOCKS) * msPerBlock));
  }

  return {
    reuseMs,
    async get({ fresh = false } = {}) {
      if (!fresh && cached && opts.clock.now() - cached.at < reuseMs()) return cached.value;
      if (fresh || !inFlight) {
        const p: Promise<Blockhash> = opts.pool
          .getLatestBlockhash("confirmed")
          .then((value) => {
            const at = opts.clock.now();
            learn(value, at);
            if (!cached || value.lastValidBlockHeight >= cached.value.lastValidBlockHeight) cached = { value, at };
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
