import { describe, expect, it } from "vitest";
import type { Store, Transition } from "@courier/agent";
import { LEASE_MS, makeAttempt, makeNewOp, T0 } from "@courier/testing";

const LEASE = 10_000;

/** Enqueue `n` events at `at` (ids ev-<prefix>-<i>) and return their ids. */
async function enqueue(s: Store, prefix: string, n: number, at = T0): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const event_id = `ev-${prefix}-${i}`;
    expect(await s.enqueueOutbox({ event_id, type: "op.succeeded", payload: { i }, now: at })).toBe(true);
    ids.push(event_id);
  }
  return ids;
}

const claimIds = async (s: Store, now: number, owner = "d1", limit = 100) =>
  (await s.claimOutbox({ now, limit, owner, lease_ms: LEASE })).map((i) => i.event_id);

/** The webhook outbox and the alert state CAS. */
export function describeOutboxAndAlerts(getStore: () => Store): void {
  describe("webhook outbox", () => {
    it("enqueue dedupes by event_id; a claim returns the item with its first attempt counted", async () => {
      const s = getStore();
      expect(await s.enqueueOutbox({ event_id: "e1", type: "op.failed", payload: { op_id: "op_1", n: [1, 2] }, now: T0 })).toBe(true);
      expect(await s.enqueueOutbox({ event_id: "e1", type: "other", payload: {}, now: T0 + 5 })).toBe(false);
      expect(await s.outboxSummary()).toEqual({ pending: 1, delivered: 0, dead: 0, oldest_pending_at: T0 });
      const items = await s.claimOutbox({ now: T0, limit: 10, owner: "d1", lease_ms: LEASE });
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        event_id: "e1",
        type: "op.failed",
        payload: { op_id: "op_1", n: [1, 2] },
        attempts: 1,
        created_at: T0,
        delivered_at: null,
        last_error: null,
      });
      expect(typeof items[0]?.id).toBe("number");
    });

    it("claims only due items, oldest first, up to the limit", async () => {
      const s = getStore();
      const early = await enqueue(s, "early", 3, T0);
      await enqueue(s, "late", 2, T0 + 60_000);
      expect(await claimIds(s, T0, "d1", 2)).toEqual(early.slice(0, 2));
      expect(await claimIds(s, T0, "d1", 10)).toEqual(early.slice(2));
      expect(await claimIds(s, T0 + 1, "d1", 10)).toEqual([]);
      expect(await s.claimOutbox({ now: T0, limit: 0, owner: "d1", lease_ms: LEASE })).toEqual([]);
      expect((await s.outboxSummary()).pending).toBe(5);
    });

    it("a claimed item is leased: not claimable again until the lease ends, then claimable with another attempt", async () => {
      const s = getStore();
      await enqueue(s, "l", 1);
      expect(await claimIds(s, T0, "d1")).toEqual(["ev-l-0"]);
      expect(await claimIds(s, T0 + LEASE - 1, "d2")).toEqual([]);
      const again = await s.claimOutbox({ now: T0 + LEASE, limit: 10, owner: "d2", lease_ms: LEASE });
      expect(again.map((i) => [i.event_id, i.attempts])).toEqual([["ev-l-0", 2]]);
    });

    it("delivered items are never claimed again and count as delivered", async () => {
      const s = getStore();
      await enqueue(s, "d", 2);
      const [a, b] = await s.claimOutbox({ now: T0, limit: 10, owner: "d1", lease_ms: LEASE });
      await s.markOutboxDelivered({ id: a!.id, owner: "d1", now: T0 + 5 });
      expect(await claimIds(s, T0 + LEASE * 10)).toEqual([b!.event_id]);
      expect(await s.outboxSummary()).toMatchObject({ pending: 1, delivered: 1, dead: 0 });
    });

    it("a failure schedules the retry at next_attempt_at and keeps the error; dead items are never claimed", async () => {
      const s = getStore();
      await enqueue(s, "f", 2);
      const [a, b] = await s.claimOutbox({ now: T0, limit: 10, owner: "d1", lease_ms: LEASE });
      await s.markOutboxFailed({ id: a!.id, owner: "d1", now: T0 + 1, error: "HTTP 500", next_attempt_at: T0 + 2_000, dead: false });
      await s.markOutboxFailed({ id: b!.id, owner: "d1", now: T0 + 1, error: "HTTP 410", next_attempt_at: T0 + 2_000, dead: true });
      expect(await claimIds(s, T0 + 1_999)).toEqual([]);
      const retry = await s.claimOutbox({ now: T0 + 2_000, limit: 10, owner: "d1", lease_ms: LEASE });
      expect(retry.map((i) => [i.event_id, i.attempts, i.last_error])).toEqual([[a!.event_id, 2, "HTTP 500"]]);
      expect(await s.outboxSummary()).toEqual({ pending: 1, delivered: 0, dead: 1, oldest_pending_at: T0 });
      await s.markOutboxDelivered({ id: a!.id, owner: "d1", now: T0 + 2_001 });
      expect(await claimIds(s, T0 + LEASE * 100)).toEqual([]);
      expect(await s.outboxSummary()).toEqual({ pending: 0, delivered: 1, dead: 1, oldest_pending_at: null });
    });

    it("a failure reported by a deliverer that no longer holds the lease is ignored", async () => {
      const s = getStore();
      await enqueue(s, "x", 1);
      const [first] = await s.claimOutbox({ now: T0, limit: 10, owner: "d1", lease_ms: LEASE });
      const [second] = await s.claimOutbox({ now: T0 + LEASE, limit: 10, owner: "d2", lease_ms: LEASE });
      expect(second?.id).toBe(first?.id);
      // d1's late report would otherwise kill (or reschedule) what d2 is delivering
      await s.markOutboxFailed({ id: first!.id, owner: "d1", now: T0 + LEASE + 1, error: "late", next_attempt_at: T0, dead: true });
      expect((await s.outboxSummary()).dead).toBe(0);
      await s.markOutboxDelivered({ id: second!.id, owner: "d2", now: T0 + LEASE + 2 });
      expect(await s.outboxSummary()).toEqual({ pending: 0, delivered: 1, dead: 0, oldest_pending_at: null });
    });

    it("concurrent claimers never receive the same item", async () => {
      const s = getStore();
      await enqueue(s, "c", 40);
      const seen: string[] = [];
      const worker = async (owner: string) => {
        for (let round = 0; round < 100; round++) {
          const items = await s.claimOutbox({ now: T0, limit: 3, owner, lease_ms: LEASE });
          if (items.length === 0) return;
          for (const i of items) {
            seen.push(i.event_id);
            await s.markOutboxDelivered({ id: i.id, owner, now: T0 });
          }
        }
      };
      await Promise.all([worker("a"), worker("b"), worker("c")]);
      expect(seen).toHaveLength(40);
      expect(new Set(seen).size).toBe(40);
      expect((await s.outboxSummary()).delivered).toBe(40);
    });
  });

  describe("alerts", () => {
    const firingEvent = (key: string, since: number) => ({ event_id: `${key}:${since}:firing`, type: "alert.firing", payload: { key } });

    it("fires once, resolves once; repeating a state changes nothing and enqueues nothing", async () => {
      const s = getStore();
      expect(await s.getAlerts()).toEqual([]);
      expect(await s.transitionAlert({ key: "halted", state: "firing", now: T0, data: { reason: "r" }, event: firingEvent("halted", T0) })).toBe(true);
      expect(
        await s.transitionAlert({ key: "halted", state: "firing", now: T0 + 10, data: { reason: "other" }, event: firingEvent("halted", T0 + 10) }),
      ).toBe(false);
      expect(await s.getAlerts()).toEqual([{ key: "halted", state: "firing", since: T0, updated_at: T0, data: { reason: "r" } }]);
      const resolved = { event_id: `halted:${T0}:resolved`, type: "alert.resolved", payload: { key: "halted" } };
      expect(await s.transitionAlert({ key: "halted", state: "resolved", now: T0 + 20, data: {}, event: resolved })).toBe(true);
      expect(await s.transitionAlert({ key: "halted", state: "resolved", now: T0 + 30, data: {}, event: { ...resolved, event_id: "other" } })).toBe(
        false,
      );
      expect(await s.getAlerts()).toEqual([{ key: "halted", state: "resolved", since: T0 + 20, updated_at: T0 + 20, data: {} }]);
      const events = await s.claimOutbox({ now: T0 + 100, limit: 10, owner: "d1", lease_ms: LEASE });
      expect(events.map((e) => [e.event_id, e.type, e.created_at])).toEqual([
        [`halted:${T0}:firing`, "alert.firing", T0],
        [`halted:${T0}:resolved`, "alert.resolved", T0 + 20],
      ]);
    });

    it("resolving a condition that never fired writes nothing", async () => {
      const s = getStore();
      expect(await s.transitionAlert({ key: "k", state: "resolved", now: T0, data: {}, event: { event_id: "r", type: "alert.resolved", payload: {} } })).toBe(
        false,
      );
      expect(await s.getAlerts()).toEqual([]);
      expect(await s.outboxSummary()).toMatchObject({ pending: 0 });
    });

    it("a transition without an event changes state only; keys are independent", async () => {
      const s = getStore();
      expect(await s.transitionAlert({ key: "b", state: "firing", now: T0, data: {} })).toBe(true);
      expect(await s.transitionAlert({ key: "a", state: "firing", now: T0 + 1, data: { x: 1 } })).toBe(true);
      expect((await s.getAlerts()).map((a) => [a.key, a.state])).toEqual([
        ["a", "firing"],
        ["b", "firing"],
      ]);
      expect((await s.outboxSummary()).pending).toBe(0);
    });

    it("ifOpRecovered: resolves only while the op still has that exec_count and no last_error", async () => {
      const s = getStore();
      const op = (await s.createOp(makeNewOp({ schedule: { kind: "every", every_ms: 1000, anchor: T0 } }))).op;
      const key = `op_run_failed:${op.id}`;
      const resolved = { event_id: `${key}:resolved`, type: "alert.resolved", payload: {} };
      const resolve = (exec_count: number, op_id = op.id) =>
        s.transitionAlert({ key, state: "resolved", now: T0 + 50, data: {}, event: resolved, ifOpRecovered: { op_id, exec_count } });
      const run = async (at: number, transition: Transition) => {
        expect(await s.claimOne({ id: op.id, now: at, owner: "inst-a", lease_ms: LEASE_MS })).not.toBeNull();
        expect(await s.finishAttempt({ id: op.id, owner: "inst-a", now: at + 1, transition, attempt: makeAttempt({ op_id: op.id }) })).toBe(true);
      };
      expect(await s.transitionAlert({ key, state: "firing", now: T0, data: {} })).toBe(true);
      // Run 1 failed (the schedule goes on): exec_count 0, last_error set.
      await run(T0, { kind: "reschedule", next_exec: T0 + 1000, due_at: T0 + 1000, run: 2, exec_count: 0, attempts: 0, last_error: "boom" });
      expect(await resolve(0)).toBe(false);
      // Run 2 succeeded: exec_count 1, last_error cleared. The guard holds for exactly that state.
      await run(T0 + 1000, { kind: "reschedule", next_exec: T0 + 2000, due_at: T0 + 2000, run: 3, exec_count: 1, attempts: 0, last_error: null });
      expect(await resolve(0)).toBe(false);
      expect(await resolve(1, "op_missing")).toBe(false);
      expect((await s.getAlerts()).map((a) => a.state)).toEqual(["firing"]);
      expect((await s.outboxSummary()).pending).toBe(0);
      expect(await resolve(1)).toBe(true);
      expect((await s.getAlerts()).map((a) => [a.state, a.since])).toEqual([["resolved", T0 + 50]]);
      expect((await s.outboxSummary()).pending).toBe(1);
    });

    it("concurrent transitions to the same state: exactly one wins and one event is enqueued", async () => {
      const s = getStore();
      const results = await Promise.all(
        [0, 1, 2, 3].map((i) => s.transitionAlert({ key: "rpc", state: "firing", now: T0 + i, data: {}, event: firingEvent("rpc", T0 + i) })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await s.outboxSummary()).pending).toBe(1);
    });
  });
}
