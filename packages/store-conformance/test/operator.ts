import { describe, expect, it } from "vitest";
import type { Store } from "@courier/agent";
import { LEASE_MS, makeAttempt, makeNewOp, SUCCEED, T0 } from "@courier/testing";

/** Operator verbs (cancel, retry), crank control and instance heartbeats. */
export function describeOperatorVerbs(getStore: () => Store): void {
  describe("cancelOp", () => {
    it("cancels a pending op once; terminal ops are unchanged; unknown ids are null", async () => {
      const s = getStore();
      const op = (await s.createOp(makeNewOp())).op;
      const first = await s.cancelOp({ id: op.id, now: T0 + 1 });
      expect(first?.changed).toBe(true);
      expect(first?.op).toMatchObject({ status: "cancelled", updated_at: T0 + 1 });
      const second = await s.cancelOp({ id: op.id, now: T0 + 2 });
      expect(second?.changed).toBe(false);
      expect(second?.op.status).toBe("cancelled");
      expect(await s.cancelOp({ id: "op_missing", now: T0 })).toBeNull();
      expect(await s.claimDue({ now: T0 + 10, limit: 10, owner: "a", lease_ms: LEASE_MS })).toEqual([]);
    });

    it("cancelling a running op takes it from its owner: no renewal, finishAttempt refused", async () => {
      const s = getStore();
      const op = (await s.createOp(makeNewOp())).op;
      await s.claimOne({ id: op.id, now: T0, owner: "inst-a", lease_ms: LEASE_MS });
      expect((await s.cancelOp({ id: op.id, now: T0 + 1 }))?.op).toMatchObject({ status: "cancelled", lease_owner: null });
      expect(await s.renewLeases({ ids: [op.id], owner: "inst-a", now: T0 + 2, lease_ms: LEASE_MS })).toEqual([]);
      expect(await s.finishAttempt({ id: op.id, owner: "inst-a", now: T0 + 3, transition: SUCCEED, attempt: makeAttempt({ op_id: op.id }) })).toBe(false);
      expect((await s.getOp(op.id))?.status).toBe("cancelled");
      expect(await s.getAttempts(op.id)).toEqual([]);
    });
  });

  describe("retryOp", () => {
    it("dead/failed → pending, due now, attempts reset, last_error kept; others unchanged", async () => {
      const s = getStore();
      const op = (await s.createOp(makeNewOp())).op;
      expect((await s.retryOp({ id: op.id, now: T0 }))?.changed).toBe(false);
      await s.claimOne({ id: op.id, now: T0, owner: "a", lease_ms: LEASE_MS });
      await s.finishAttempt({
        id: op.id,
        owner: "a",
        now: T0 + 5,
        transition: { kind: "finish", status: "dead", exec_count: 0, last_error: "gave up" },
        attempt: makeAttempt({ op_id: op.id, outcome: "retryable" }),
      });
      const retried = await s.retryOp({ id: op.id, now: T0 + 1000 });
      expect(retried?.changed).toBe(true);
      expect(retried?.op).toMatchObject({ status: "pending", attempts: 0, next_exec: T0 + 1000, last_error: "gave up", run: 1 });
      expect((await s.claimDue({ now: T0 + 1000, limit: 5, owner: "a", lease_ms: LEASE_MS })).map((c) => c.op.id)).toEqual([op.id]);
      await s.finishAttempt({
        id: op.id,
        owner: "a",
        now: T0 + 1005,
        transition: { kind: "finish", status: "failed", exec_count: 0, last_error: "program error" },
        attempt: makeAttempt({ op_id: op.id, attempt: 1, outcome: "permanent" }),
      });
      expect((await s.retryOp({ id: op.id, now: T0 + 2000 }))?.op.status).toBe("pending");
      await s.cancelOp({ id: op.id, now: T0 + 2001 });
      expect((await s.retryOp({ id: op.id, now: T0 + 2002 }))?.changed).toBe(false);
      expect(await s.retryOp({ id: "op_missing", now: T0 })).toBeNull();
    });
  });

  describe("control", () => {
    it("pause and halt are persisted with who/when/why and cleared on resume", async () => {
      const s = getStore();
      const clear = { paused: false, paused_at: null, paused_by: null, halted: false, halted_at: null, halted_reason: null };
      expect(await s.getControl()).toEqual(clear);
      expect(await s.setPaused({ paused: true, by: "ops@cli", now: T0 })).toMatchObject({ paused: true, paused_at: T0, paused_by: "ops@cli" });
      expect(await s.setHalted({ halted: true, reason: "restart budget spent", now: T0 + 1 })).toEqual({
        paused: true,
        paused_at: T0,
        paused_by: "ops@cli",
        halted: true,
        halted_at: T0 + 1,
        halted_reason: "restart budget spent",
      });
      expect((await s.getControl()).halted).toBe(true);
      await s.setPaused({ paused: false, by: "ops@cli", now: T0 + 2 });
      await s.setHalted({ halted: false, reason: null, now: T0 + 2 });
      expect(await s.getControl()).toEqual(clear);
    });
  });

  describe("instances", () => {
    it("heartbeats upsert instances; stats lists the live ones; removeInstance drops one", async () => {
      const s = getStore();
      await s.heartbeat({ instance: "a", started_at: T0 - 1000, now: T0 - 500, in_flight: 1, ticked: true });
      await s.heartbeat({ instance: "a", started_at: T0 - 1000, now: T0, in_flight: 3, ticked: false });
      await s.heartbeat({ instance: "b", started_at: T0 - 1000, now: T0, in_flight: 0, ticked: false });
      await s.heartbeat({ instance: "stale", started_at: T0 - 600_000, now: T0 - 120_000, in_flight: 0, ticked: true });
      let stats = await s.stats({ ticks: 5, now: T0 });
      expect(stats.instances).toEqual([
        { id: "a", started_at: new Date(T0 - 1000).toISOString(), last_tick_at: new Date(T0 - 500).toISOString(), in_flight: 3 },
        { id: "b", started_at: new Date(T0 - 1000).toISOString(), last_tick_at: null, in_flight: 0 },
      ]);
      await s.removeInstance("a");
      stats = await s.stats({ ticks: 5, now: T0 });
      expect(stats.instances.map((i) => i.id)).toEqual(["b"]);
    });
  });
}
