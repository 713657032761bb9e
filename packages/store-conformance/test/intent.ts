import { describe, expect, it } from "vitest";
import type { Store, StoredIntent } from "@courier/agent";
import { LEASE_MS, makeNewOp, T0 } from "@courier/testing";

// A payload with characters a careless mapping could change (escapes, non-ASCII, key order).
const INTENT: StoredIntent = { signer: "9C6hybhQ6Aycep9jaUnP6uL9ZYvDjUp1aSkFWPUFJtpj", signature: "42xXQjcr", payload: '{"b":1,"a":"é\\u0000\\"x"}' };

/** Signed op intents: the stored signature and its payload come back byte for byte. */
export function describeIntentVerbs(getStore: () => Store): void {
  describe("op intents", () => {
    it("createOp keeps the intent exactly; an unsigned op has none; claims carry it", async () => {
      const s = getStore();
      const signed = (await s.createOp({ ...makeNewOp(), intent: INTENT })).op;
      expect(signed.intent).toEqual(INTENT);
      expect((await s.getOp(signed.id))?.intent).toEqual(INTENT);
      expect((await s.createOp(makeNewOp())).op.intent ?? null).toBeNull();
      const claimed = await s.claimOne({ id: signed.id, now: T0, owner: "a", lease_ms: LEASE_MS });
      expect(claimed?.op.intent?.payload).toBe(INTENT.payload);
      expect((await s.listOps({ limit: 10 })).ops.filter((o) => o.intent).map((o) => o.id)).toEqual([signed.id]);
    });

    it("setOpIntent signs an existing op (any status) and touches nothing else; unknown ids are null", async () => {
      const s = getStore();
      const op = (await s.createOp(makeNewOp())).op;
      await s.cancelOp({ id: op.id, now: T0 + 1 });
      const updated = await s.setOpIntent({ id: op.id, intent: INTENT, now: T0 + 2 });
      expect(updated).toMatchObject({ id: op.id, status: "cancelled", updated_at: T0 + 2, params: op.params, next_exec: op.next_exec });
      expect((await s.getOp(op.id))?.intent).toEqual(INTENT);
      expect(await s.setOpIntent({ id: "op_missing", intent: INTENT, now: T0 })).toBeNull();
    });
  });
}
