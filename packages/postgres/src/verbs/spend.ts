import { CourierError, type ReserveSpendArgs, type Store } from "@courier/agent";
import type { Db } from "../db/db.js";

/**
 * Per-signer, per-UTC-day spend. The reservation is one statement: the upsert's conflict path
 * locks the (signer, day) row and re-checks the cap against its latest value, and a first
 * reservation over the cap inserts nothing, so two processes can never both pass the cap.
 */
const RESERVE_SQL = `
  INSERT INTO spend (signer, day, lamports)
  SELECT $1, $2, $3::bigint WHERE $4::bigint IS NULL OR $3::bigint <= $4::bigint
  ON CONFLICT (signer, day) DO UPDATE SET lamports = spend.lamports + excluded.lamports
    WHERE $4::bigint IS NULL OR spend.lamports + excluded.lamports <= $4::bigint
  RETURNING lamports`;

export function createSpendVerbs(db: Db): Pick<Store, "reserveSpend" | "reserveSpends" | "releaseSpend" | "spendToday"> {
  return {
    reserveSpend: async (a) => {
      const { rows } = await db.pool.query<{ lamports: number }>(RESERVE_SQL, [a.signer, a.day, assertLamports(a.lamports), a.cap]);
      return rows[0]?.lamports ?? null;
    },
    reserveSpends: async (batch) => {
      if (batch.length === 0) return [];
      for (const a of batch) assertLamports(a.lamports);
      // In input order within a (signer, day), and the rows locked in one global order, so two
      // processes' batches (across a UTC midnight, or with several signers) cannot deadlock.
      const order = batch.map((_, i) => i).sort((i, j) => rowKey(batch[i]).localeCompare(rowKey(batch[j])) || i - j);
      return db.tx(async (q) => {
        const results = new Array<number | null>(batch.length).fill(null);
        for (const i of order) {
          const a = batch[i] as ReserveSpendArgs;
          const { rows } = await q.query<{ lamports: number }>(RESERVE_SQL, [a.signer, a.day, a.lamports, a.cap]);
          results[i] = rows[0]?.lamports ?? null;
        }
        return results;
      });
    },
    releaseSpend: async (a) => {
      await db.pool.query("UPDATE spend SET lamports = GREATEST(lamports - $1, 0) WHERE signer = $2 AND day = $3", [assertLamports(a.lamports), a.signer, a.day]);
    },
    spendToday: async (a) => {
      const { rows } = await db.pool.query<{ total: number }>("SELECT COALESCE(SUM(lamports), 0) AS total FROM spend WHERE day = $1", [a.day]);
      return rows[0]?.total ?? 0;
    },
  };
}

function rowKey(a: ReserveSpendArgs | undefined): string {
  return a ? `${a.signer}\u0000${a.day}` : "";
}

function assertLamports(lamports: number): number {
  if (!Number.isSafeInteger(lamports) || lamports < 0) {
    throw new CourierError("COURIER__VALIDATION", "lamports must be a non-negative integer", { field: "lamports", lamports });
  }
  return lamports;
}
