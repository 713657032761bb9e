import { describe, expect, it } from "vitest";
import type { FinishAttemptArgs, FinishEvent, Store } from "@courier/agent";
import { LEASE_MS, makeAttempt, makeNewOp, SUCCEED, T0 } from "@courier/testing";

/** finishAttempt(s) `event`: written to the outbox in the finish's transaction, only when it applies. */
export function describeFinishEvent(getStore: () => Store): void {
  describe("finishAttempt event", () => {
    const event = (event_id: string): FinishEvent => ({ event_id, type: "op.succeeded", payload: { id: event_id, n: 1 } });
    const finishArgs = (id: string, owner: string, ev?: FinishEvent): FinishAttemptArgs => ({
      id,
      owner,
      now: T0 + 10,
      transition: SUCCEED,
      attempt: makeAttempt({ op_id: id, instance: owner }),
      ...(ev ? { event: ev } : {}),
    });
    const outbox = async (s: Store) => (await s.claimOutbox({ now: T0 + 1000, limit: 50, owner: "d", lease_ms: LEASE_MS })).map((i) => ({ event_id: i.event_id, type: i.type, payload: i.payload }));
    const claimed = async (s: Store, n: number): Promise<string[]> => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) ids.push((await s.createOp(makeNewOp())).op.id);
      await s.claimDue({ now: T0, limit: n, owner: "inst-a", lease_ms: LEASE_MS });
      return ids;
    };

    it("an owned finish writes its event once; a not-owned finish writes none", async () => {
      const s = getStore();
      const [a, b] = (await claimed(s, 2)) as [string, string];
      expect(await s.finishAttempt(finishArgs(a, "inst-a", event("evt_a")))).toBe(true);
      expect(await s.finishAttempt(finishArgs(b, "inst-other", event("evt_b")))).toBe(false);
      // Finished already: no longer owned, so its event is not written again either.
      expect(await s.finishAttempt(finishArgs(a, "inst-a", event("evt_a_again")))).toBe(false);
      expect(await outbox(s)).toEqual([event("evt_a")]);
      expect(await s.outboxSummary()).toMatchObject({ pending: 1, oldest_pending_at: T0 + 10 });
    });

    it("an event whose event_id is already in the outbox is ignored; the finish still applies", async () => {
      const s = getStore();
      const [a] = (await claimed(s, 1)) as [string];
      expect(await s.enqueueOutbox({ event_id: "evt_dup", type: "op.failed", payload: { first: true }, now: T0 })).toBe(true);
      expect(await s.finishAttempt(finishArgs(a, "inst-a", event("evt_dup")))).toBe(true);
      expect(await s.getOp(a)).toMatchObject({ status: "succeeded" });
      expect(await outbox(s)).toEqual([{ event_id: "evt_dup", type: "op.failed", payload: { first: true } }]);
    });

    it("in a batch only the applied entries' events are written (a repeated id once)", async () => {
      const s = getStore();
      const [a, b, c, d] = (await claimed(s, 4)) as [string, string, string, string];
      const results = await s.finishAttempts([
        finishArgs(a, "inst-a", event("evt_a")),
        finishArgs(b, "inst-other", event("evt_b")),
        finishArgs(c, "inst-a"),
        finishArgs(a, "inst-a", event("evt_a_twice")),
        finishArgs(d, "inst-a", event("evt_a")),
      ]);
      expect(results).toEqual([true, false, true, false, true]);
      expect(await outbox(s)).toEqual([event("evt_a")]);
      expect(await s.getOp(d)).toMatchObject({ status: "succeeded" });
    });
  });
}
