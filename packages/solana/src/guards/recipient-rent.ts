/**
 * A transfer that would create its recipient with less than the rent-exempt minimum fails on
 * chain (InsufficientFundsForRent) and still costs the fee. It is refused before signing
 * instead. The minimum is fetched once; a recipient is looked up only when the amount is below
 * it (a larger transfer can create any account) and it is not already known to exist.
 */
import { CourierError } from "@courier/agent";
import type { PublicKey } from "@solana/web3.js";
import type { RpcPool } from "../rpc/types.js";

export interface RecipientRentCheck {
  /** Throws COURIER__OP__BELOW_RENT_EXEMPT_MINIMUM for a new recipient that `lamports` cannot make rent-exempt. */
  check(recipient: { address: PublicKey; lamports: number }): Promise<void>;
}

/** Recipients remembered as existing (cleared when full: a miss only costs one lookup). */
const MAX_KNOWN = 10_000;

export function createRecipientRentCheck(opts: { pool: RpcPool }): RecipientRentCheck {
  let minimum: Promise<number> | null = null;
  const known = new Set<string>();
  const getMinimum = () => {
    // A system account holds no data: its minimum is that of a 0-byte account.
    minimum ??= opts.pool.call<number>("getMinimumBalanceForRentExemption", [0]).catch((e: unknown) => {
      minimum = null;
      throw e;
    });
    return minimum;
  };
  return {
    async check({ address, lamports }) {
      const key = address.toBase58();
      if (known.has(key)) return;
      const min = await getMinimum();
      if (lamports >= min) return;
      const balance = await opts.pool.getBalance(key, "confirmed");
      if (balance > 0) {
        if (known.size >= MAX_KNOWN) known.clear();
        known.add(key);
        return;
      }
      throw new CourierError(
        "COURIER__OP__BELOW_RENT_EXEMPT_MINIMUM",
        `recipient ${key} does not exist yet and ${lamports} lamports is below the rent-exempt minimum of ${min}: send at least ${min} lamports to a new account`,
        { account: key, lamports, rent_exempt_minimum: min },
      );
    },
  };
}
