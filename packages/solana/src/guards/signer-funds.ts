/**
 * Whether the signer's balance may not cover a statically sized transaction (a transfer or a
 * memo, which skip simulation on the hot path). When it may not, the builder simulates first,
 * so a transfer that would fail for funds is refused before signing instead of landing failed
 * and paying its fee. The balance is read at most every `refreshMs`; in between, what this
 * process has committed since is subtracted.
 */
import type { Clock } from "@courier/agent";
import type { PublicKey } from "@solana/web3.js";
import type { RpcPool } from "../rpc/types.js";

export interface SignerFunds {
  /** True when `lamports` (plus a fee and rent reserve) may exceed what the signer holds. */
  mayFallShort(lamports: number): Promise<boolean>;
}

/** Kept free besides the amount: the signer's own rent-exempt minimum and many fees' worth. */
const RESERVE_LAMPORTS = 2_000_000;
/** Counted per transaction between balance reads (a priority fee rarely passes this). */
const FEE_ALLOWANCE_LAMPORTS = 20_000;

export function createSignerFunds(opts: { pool: RpcPool; signer: PublicKey; clock: Clock; refreshMs?: number }): SignerFunds {
  const refreshMs = opts.refreshMs ?? 30_000;
  let cached: { balance: number; at: number; committed: number } | null = null;
  let reading: Promise<void> | null = null;
  const read = async () => {
    try {
      const balance = await opts.pool.getBalance(opts.signer.toBase58(), "confirmed");
      cached = { balance, at: opts.clock.now(), committed: 0 };
    } catch {
      // A failed read must not fail the ops waiting on it: they keep the older figure, or
      // (none yet) simulate, which is the safe side.
    }
  };
  return {
    async mayFallShort(lamports) {
      if (!cached || opts.clock.now() - cached.at >= refreshMs) {
        reading ??= read().finally(() => {
          reading = null;
        });
        await reading;
      }
      const c = cached as { balance: number; at: number; committed: number } | null;
      if (!c) return true;
      const short = c.balance - c.committed < lamports + FEE_ALLOWANCE_LAMPORTS + RESERVE_LAMPORTS;
      if (!short) c.committed += lamports + FEE_ALLOWANCE_LAMPORTS;
      return short;
    },
  };
}
