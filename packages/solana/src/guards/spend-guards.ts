/**
 * Spend guards: checked before anything is signed, so a refused op sends nothing.
 * - per-op cap: the lamports one transaction may move out of the signer;
 * - daily cap per signer: a persisted reservation (store.reserveSpend) per UTC day, given back
 *   when the transaction definitely did not land;
 * - priority-fee ceiling: an estimate above it is clamped to it (the op still goes out, at the
 *   highest price the operator allows) and the clamp is audited as `fees.clamped`.
 * Each refusal is a permanent CourierError and an audit event.
 */
import { type AuditStore, type Clock, CourierError, createStoreBatcher, type ReserveSpendArgs, type SpendStore } from "@courier/agent";

/** Largest batch of reservations committed in one transaction. */
const MAX_RESERVATIONS_PER_BATCH = 256;

export interface SpendGuards {
  /** Throws COURIER__OP__SPEND_CAP before anything is reserved. */
  checkOp(args: { op_id: string; lamports: number }): Promise<void>;
  /** The compute-unit price to pay: `microLamports` clamped to the ceiling (a clamp is audited). */
  clampFee(args: { op_id: string; microLamports: number }): Promise<number>;
  /** Reserve today's spend; throws COURIER__OP__DAILY_SPEND_CAP when the cap would be passed. Returns the day reserved. */
  reserve(args: { op_id: string; lamports: number }): Promise<string>;
  /** Give back a reservation (the transaction definitely did not land). */
  release(args: { day: string; lamports: number }): Promise<void>;
}

export function createSpendGuards(opts: {
  store: SpendStore & Pick<AuditStore, "audit">;
  clock: Clock;
  signer: string;
  instance: string | null;
  maxLamportsPerOp: number | null;
  dailyCapLamports: number | null;
  feeCeilingMicroLamports: number | null;
}): SpendGuards {
  const { store, clock, signer } = opts;
  // The reservations of ops built in one turn of the event loop commit together (one transaction,
  // applied in order, each checked against the cap as it would be alone).
  const reservations = createStoreBatcher<ReserveSpendArgs, number | null>({
    many: (batch) => store.reserveSpends(batch),
    one: (a) => store.reserveSpend(a),
    maxBatch: MAX_RESERVATIONS_PER_BATCH,
  });

  async function refuse(code: "COURIER__OP__SPEND_CAP" | "COURIER__OP__DAILY_SPEND_CAP", op_id: string, message: string, data: Record<string, unknown>): Promise<never> {
    const err = new CourierError(code, message, { ...data, signer });
    await store.audit({ at: clock.now(), instance: opts.instance, kind: "spend_guard.refused", op_id, data: { code, message, ...data, signer } });
    throw err;
  }

  return {
    async checkOp({ op_id, lamports }) {
      if (opts.maxLamportsPerOp !== null && lamports > opts.maxLamportsPerOp) {
        await refuse("COURIER__OP__SPEND_CAP", op_id, `op moves ${lamports} lamports, over the per-op cap of ${opts.maxLamportsPerOp}`, {
          lamports,
          cap: opts.maxLamportsPerOp,
        });
      }
    },
    async clampFee({ op_id, microLamports }) {
      const ceiling = opts.feeCeilingMicroLamports;
      if (ceiling === null || microLamports <= ceiling) return microLamports;
      await store.audit({ at: clock.now(), instance: opts.instance, kind: "fees.clamped", op_id, data: { estimate: microLamports, ceiling, signer } });
      return ceiling;
    },
    async reserve({ op_id, lamports }) {
      const day = getUtcDay(clock.now());
      if (lamports <= 0) return day;
      const total = await reservations.push({ signer, day, lamports, cap: opts.dailyCapLamports });
      if (total === null) {
        await refuse(
          "COURIER__OP__DAILY_SPEND_CAP",
          op_id,
          `op moves ${lamports} lamports, which would pass the daily cap of ${opts.dailyCapLamports} for ${signer} on ${day}`,
          { lamports, cap: opts.dailyCapLamports, day },
        );
      }
      return day;
    },
    async release({ day, lamports }) {
      if (lamports > 0) await store.releaseSpend({ signer, day, lamports });
    },
  };
}

/** The UTC day (YYYY-MM-DD) of an epoch-ms instant: the unit of the daily cap. */
export function getUtcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
