import { describe, expect, it } from "vitest";
import { isCourierError, type Store, type Transition } from "@courier/agent";
import { LEASE_MS, makeAttempt, makeNewOp, SUCCEED, T0 } from "@courier/testing";

type FinishArgs = Parameters<Store["finishAttempt"]>[0];

/** finishAttempts: finishAttempt for a batch, in one transaction, with per-entry results. */
export function describeFinishBatch(getStore: () => Store): void {
  describe("finishAttempts", () => {
    const batchOf = (s: Store) => s.finishAttempts.bind(s);
    const finishArgs = (id: string, owner: string, transition: Transition, outcome: "ok" | "retryable" = "ok"): FinishArgs => ({
      id,
      owner,
      now: T0 + 10,
      transition,
      attempt: makeAttempt({ op_id: id, instance: owner, outcome }),
    });

    it("applies each owned entry, refuses the rest, and returns one result per entry in order", async () => {
      const s = getStore();
      const finishAttempts = batchOf(s);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await s.createOp(makeNewOp())).op.id);
      const [a, b, c, d, e] = ids as [string, string, string, string, string];
      await s.claimDue({ now: T0, limit: 4, owner: "inst-a", lease_ms: LEASE_MS });
      // b is taken from its owner (cancelled); e was never claimed.
      await s.cancelOp({ id: b, now: T0 + 5 });
      const retry: Transition = { kind: "reschedule", next_exec: T0 + 1000, due_at: T0, run: 1, exec_count: 0, attempts: 1, last_error: "x: y" };
      const results = await finishAttempts([
        finishArgs(a, "inst-a", SUCCEED),
        finishArgs(b, "inst-a", SUCCEED),
        finishArgs(c, "inst-a", retry, "retryable"),
        finishArgs(d, "inst-other", SUCCEED),
        finishArgs(e, "inst-a", SUCCEED),
      ]);
      expect(results).toEqual([true, false, true, false, false]);
      expect(await s.getOp(a)).toMatchObject({ status: "succeeded", exec_count: 1, lease_owner: null, lease_until: null });
      expect(await s.getOp(b)).toMatchObject({ status: "cancelled" });
      expect(await s.getOp(c)).toMatchObject({ status: "pending", next_exec: T0 + 1000, attempts: 1, last_error: "x: y", lease_owner: null });
      expect(await s.getOp(d)).toMatchObject({ status: "running", lease_owner: "inst-a" });
      expect(await s.getOp(e)).toMatchObject({ status: "pending" });
      // Attempt rows only for the applied entries.
      expect(await s.getAttempts(a)).toHaveLength(1);
      expect(await s.getAttempts(b)).toEqual([]);
      expect((await s.getAttempts(c)).map((x) => x.outcome)).toEqual(["retryable"]);
      expect(await s.getAttempts(d)).toEqual([]);
      expect(await s.getAttempts(e)).toEqual([]);
      const stats = await s.stats({ ticks: 0, now: T0 + 20 });
      expect(stats.ops_by_status).toMatchObject({ succeeded: 1, cancelled: 1, pending: 2, running: 1 });
      expect(stats.totals).toMatchObject({ succeeded: 1, retried: 1 });
    });

    it("the same op twice in one batch is finished once (the second entry no longer owns it)", async () => {
      const s = getStore();
      const id = (await s.createOp(makeNewOp())).op.id;
      await s.claimDue({ now: T0, limit: 1, owner: "inst-a", lease_ms: LEASE_MS });
      expect(await batchOf(s)([finishArgs(id, "inst-a", SUCCEED), finishArgs(id, "inst-a", SUCCEED)])).toEqual([true, false]);
      expect(await s.getAttempts(id)).toHaveLength(1);
    });

    it("an empty batch is a no-op; a mismatched attempt row refuses the whole batch and writes nothing", async () => {
      const s = getStore();
      const finishAttempts = batchOf(s);
      expect(await finishAttempts([])).toEqual([]);
      const a = (await s.createOp(makeNewOp())).op.id;
      const b = (await s.createOp(makeNewOp())).op.id;
      await s.claimDue({ now: T0, limit: 2, owner: "inst-a", lease_ms: LEASE_MS });
      const bad = { ...finishArgs(b, "inst-a", SUCCEED), attempt: makeAttempt({ op_id: a }) };
      await expect(finishAttempts([finishArgs(a, "inst-a", SUCCEED), bad])).rejects.toSatisfy((e) => isCourierError(e, "COURIER__VALIDATION"));
      expect(await s.getOp(a)).toMatchObject({ status: "running", lease_owner: "inst-a" });
      expect(await s.getAttempts(a)).toEqual([]);
    });
  });
}
