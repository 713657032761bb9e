import { CourierError, type ReserveSpendArgs, type SyncVerbs } from "@courier/agent";
import type { Db } from "./db.js";

/**
 * Per-signer, per-UTC-day spend. The reservation is a check-and-add in one IMMEDIATE
 * transaction, so two processes can never both pass the cap with their last reservations.
 */
export function createSpendVerbs(db: Db): SyncVerbs<"reserveSpend" | "reserveSpends" | "releaseSpend" | "spendToday"> {
  const current = db.prepare<[string, string], { lamports: number }>("SELECT lamports FROM spend WHERE signer = ? AND day = ?");
  const add = db.prepare<[string, string, number], { lamports: number }>(`
    INSERT INTO spend (signer, day, lamports) VALUES (?, ?, ?)
    ON CONFLICT (signer, day) DO UPDATE SET lamports = spend.lamports + excluded.lamports
    RETURNING lamports`);
  const subtract = db.prepare<[number, string, string]>("UPDATE spend SET lamports = MAX(lamports - ?, 0) WHERE signer = ? AND day = ?");
  const total = db.prepare<[string], { total: number | null }>("SELECT SUM(lamports) AS total FROM spend WHERE day = ?");
  const reserveOne = (a: ReserveSpendArgs): number | null => {
    const spent = current.get(a.signer, a.day)?.lamports ?? 0;
    if (a.cap !== null && spent + a.lamports > a.cap) return null;
    return (add.get(a.signer, a.day, a.lamports) as { lamports: number }).lamports;
  };
  const reserve = db.transaction(reserveOne);
  // A batch in order, in one transaction: each entry sees the totals the earlier ones left.
  const reserveMany = db.transaction((batch: readonly ReserveSpendArgs[]) => batch.map(reserveOne));
  return {
    reserveSpend: (a) => reserve.immediate({ ...a, lamports: assertLamports(a.lamports) }),
    reserveSpends: (batch) => (batch.length === 0 ? [] : reserveMany.immediate(batch.map((a) => ({ ...a, lamports: assertLamports(a.lamports) })))),
    releaseSpend: (a) => {
      subtract.run(assertLamports(a.lamports), a.signer, a.day);
    },
    spendToday: (a) => total.get(a.day)?.total ?? 0,
  };
}

function assertLamports(lamports: number): number {
  if (!Number.isSafeInteger(lamports) || lamports < 0) {
    throw new CourierError("COURIER__VALIDATION", "lamports must be a non-negative integer", { field: "lamports", lamports });
  }
  return lamports;
}
