import { CourierError } from "../errors.js";
import type { Store } from "../types.js";

/** The audit kind the spend guards (packages/solana) record a refusal under, with `data.code`. */
export const SPEND_REFUSAL_AUDIT_KIND = "spend_guard.refused";
export const SPEND_CAP_CODES: readonly string[] = ["COURIER__OP__DAILY_SPEND_CAP", "COURIER__OP__SPEND_CAP"];

/** Dead op ids, newest first, at most `limit` (the dead-ops check's input). */
export function getDeadOpLister(store: Pick<Store, "listOps">): (limit: number) => Promise<string[]> {
  return async (limit) => (await store.listOps({ status: "dead", limit })).ops.map((o) => o.id);
}

/** Spend-cap refusals recorded in the audit trail since `since` (looks at the last 200 refusals). */
export function getSpendCapHitCounter(store: Pick<Store, "listAudit">, codes: readonly string[] = SPEND_CAP_CODES): (since: number) => Promise<number> {
  return async (since) => {
    const events = await store.listAudit({ kind: SPEND_REFUSAL_AUDIT_KIND, limit: 200 });
    return events.filter((e) => e.at >= since && codes.includes(String(e.data.code))).length;
  };
}

/**
 * Overdue pending ops, through the store's `countOverdue` (SqliteStore has it; it is proposed for
 * the Store interface). A store without it is a wiring error, said at construction.
 */
export function getOverdueCounter(store: object): (before: number) => Promise<number> {
  const s = store as { countOverdue?: (args: { before: number }) => Promise<number> };
  if (typeof s.countOverdue !== "function") {
    throw new CourierError("COURIER__CONFIG", "the overdue-ops alert needs a store with countOverdue", { field: "store" });
  }
  const count = s.countOverdue.bind(store);
  return (before) => count({ before });
}
