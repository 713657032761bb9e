import { describe, expect, it } from "vitest";
import { isCourierError } from "@courier/agent";
import type { Store, Transition } from "@courier/agent";
import { LEASE_MS, makeAttempt, makeLedgerEntry, makeNewOp, T0 } from "@courier/testing";

const EVERY = { kind: "every", every_ms: 1000, anchor: T0 } as const;
const NEXT_RUN: Transition = { kind: "reschedule", next_exec: T0 + 1000, due_at: T0 + 1000, run: 2, exec_count: 1, attempts: 0, last_error: null };

/** Operator verbs that must never say more than the chain allows: cancel, pause/resume, retry, expiry. */
export function describeLifecycleVerbs(getStore: () => Store): void {
  async function running(s: Store, over: Parameters<typeof makeNewOp>[0] = {}) {
    const op = (await s.createOp(makeNewOp(over))).op;
    await s.claimOne({ id: op.id, now: T0, owner: "inst-a", lease_ms: LEASE_MS });
    return op;
  }

  describe("cancelOp while a transaction may land", () => {
    it("one-off: refused as in flight while its entry is signed or landed; cancelled once the entry failed", async () => {
      const s = getStore();
      const op = await running(s);
      await s.putLedgerEntry(makeLedgerEntry({ op_id: op.id, signature: `sig-${op.id}` }), { owner: "inst-a" });
      const refused = await s.cancelOp({ id: op.id, now: T0 + 1 });
      expect(refused).toMatchObject({ changed: false, in_flight: true, op: { status: "running", after_run: null } });
      await s.updateLedgerEntry({ op_id: op.id, run: 1, seq: 0, state: "landed", error: null, now: T0 + 2 });
      expect((await s.cancelOp({ id: op.id, now: T0 + 3 }))?.in_flight).toBe(true);
      await s.updateLedgerEntry({ op_id: op.id, run: 1, seq: 0, state: "failed", error: "boom", now: T0 + 4 });
      expect(await s.cancelOp({ id: op.id, now: T0 + 5 })).toMatchObject({ changed: true, op: { status: "cancelled" } });
    });

    it("recurring: the request is held while the run may land and applied when the run ends", async () => {
      const s = getStore();
      const op = await running(s, { schedule: EVERY });
      await s.putLedgerEntry(makeLedgerEntry({ op_id: op.id, signature: `sig-${op.id}` }), { owner: "inst-a" });
      expect(await s.cancelOp({ id: op.id, now: T0 + 1 })).toMatchObject({ changed: true, op: { status: "running", after_run: "cancel" } });
      // A second cancel changes nothing and is not an error.
      expect(await s.cancelOp({ id: op.id, now: T0 + 2 })).toMatchObject({ changed: false, op: { after_run: "cancel" } });
      await s.updateLedgerEntry({ op_id: op.id, run: 1, seq: 0, state: "landed", error: null, now: T0 + 3 });
      expect(await s.finishAttempt({ id: op.id, owner: "inst-a", now: T0 + 4, transition: NEXT_RUN, attempt: makeAttempt({ op_id: op.id }) })).toBe(true);
      expect(await s.getOp(op.id)).toMatchObject({ status: "cancelled", after_run: null, exec_count: 1 });
      expect((await s.getAttempts(op.id)).map((a) => a.outcome)).toEqual(["ok"]);
    });

    it("a guarded ledger put is refused once the op was cancelled: nothing signed can be sent", async () => {
      const s = getStore();
      const op = await running(s);
      expect((await s.cancelOp({ id: op.id, now: T0 + 1 }))?.op.status).toBe("cancelled");
      await expect(s.putLedgerEntry(makeLedgerEntry({ op_id: op.id, signature: `sig-${op.id}` }), { owner: "inst-a" })).rejects.toSatisfy((e) =>
        isCourierError(e, "COURIER__OP__LEASE_LOST"),
      );
      expect(await s.getLedgerEntries(op.id, 1)).toEqual([]);
      const other = await running(s);
      await expect(s.putLedgerEntry(makeLedgerEntry({ op_id: other.id, signature: `sig-${other.id}` }), { owner: "inst-b" })).rejects.toSatisfy((e) =>
        isCourierError(e, "COURIER__OP__LEASE_LOST"),
      );
    });
  });

  describe("pauseOp / resumeOp", () => {
    it("a pending op is paused (never claimed) and resumed to pending", async () => {
      const s = getStore();
      const op = (await s.createOp(makeNewOp({ schedule: EVERY }))).op;
      expect(await s.pauseOp({ id: op.id, now: T0 })).toMatchObject({ changed: true, op: { status: "paused" } });
      expect(await s.pauseOp({ id: op.id, now: T0 + 1 })).toMatchObject({ changed: false });
      expect(await s.claimDue({ now: T0 + 10_000, limit: 10, owner: "a", lease_ms: LEASE_MS })).toEqual([]);
      expect((await s.stats({ ticks: 1, now: T0 })).ops_by_status.paused).toBe(1);
      expect(await s.resumeOp({ id: op.id, now: T0 + 2 })).toMatchObject({ changed: true, op: { status: "pending", next_exec: T0 } });
      expect(await s.resumeOp({ id: op.id, now: T0 + 3 })).toMatchObject({ changed: false });
      expect((await s.claimDue({ now: T0 + 10, limit: 10, owner: "a", lease_ms: LEASE_MS })).map((c) => c.op.id)).toEqual([op.id]);
      expect(await s.pauseOp({ id: "op_missing", now: T0 })).toBeNull();
      expect(await s.resumeOp({ id: "op_missing", now: T0 })).toBeNull();
    });

    it("a running op finishes its run, then is paused instead of pending; a terminal finish clears the request", async () => {
      const s = getStore();
      const op = await running(s, { schedule: EVERY });
      expect(await s.pauseOp({ id: op.id, now: T0 + 1 })).toMatchObject({ changed: true, op: { status: "running", after_run: "pause" } });
      expect(await s.finishAttempt({ id: op.id, owner: "inst-a", now: T0 + 2, transition: NEXT_RUN, attempt: makeAttempt({ op_id: op.id }) })).toBe(true);
      expect(await s.getOp(op.id)).toMatchObject({ status: "paused", after_run: null, run: 2 });
      const last = await running(s, { schedule: EVERY });
      await s.pauseOp({ id: last.id, now: T0 + 1 });
      const done: Transition = { kind: "finish", status: "succeeded", exec_count: 1, last_error: null };
      await s.finishAttempt({ id: last.id, owner: "inst-a", now: T0 + 2, transition: done, attempt: makeAttempt({ op_id: last.id }) });
      expect(await s.getOp(last.id)).toMatchObject({ status: "succeeded", after_run: null });
    });

    it("a released run that signed nothing applies the request; one with a live entry stays pending to be resolved", async () => {
      const s = getStore();
      const quiet = await running(s, { schedule: EVERY });
      await s.pauseOp({ id: quiet.id, now: T0 + 1 });
      expect(await s.releaseOp({ id: quiet.id, owner: "inst-a", now: T0 + 2, next_exec: T0 + 2, last_error: null })).toBe(true);
      expect((await s.getOp(quiet.id))?.status).toBe("paused");
      const live = await running(s, { schedule: EVERY });
      await s.putLedgerEntry(makeLedgerEntry({ op_id: live.id, signature: `sig-${live.id}` }), { owner: "inst-a" });
      await s.cancelOp({ id: live.id, now: T0 + 1 });
      await s.releaseOp({ id: live.id, owner: "inst-a", now: T0 + 2, next_exec: T0 + 2, last_error: null });
      expect(await s.getOp(live.id)).toMatchObject({ status: "pending", after_run: "cancel" });
    });
  });

  describe("retryOp signs afresh", () => {
    it("moves ledger_floor past the run's entries and keeps attempt numbers increasing", async () => {
      const s = getStore();
      const op = await running(s);
      await s.putLedgerEntry(makeLedgerEntry({ op_id: op.id, signature: `sig-${op.id}-0` }), { owner: "inst-a" });
      await s.updateLedgerEntry({ op_id: op.id, run: 1, seq: 0, state: "failed", error: "insufficient funds", now: T0 + 1 });
      const failed: Transition = { kind: "finish", status: "failed", exec_count: 0, last_error: "insufficient funds" };
      await s.finishAttempt({ id: op.id, owner: "inst-a", now: T0 + 2, transition: failed, attempt: makeAttempt({ op_id: op.id, outcome: "permanent" }) });
      const retried = await s.retryOp({ id: op.id, now: T0 + 10 });
      expect(retried?.op).toMatchObject({ status: "pending", attempts: 0, attempt_base: 1, ledger_floor: 1, run: 1 });
      const claimed = await s.claimOne({ id: op.id, now: T0 + 10, owner: "inst-a", lease_ms: LEASE_MS });
      expect(claimed?.op).toMatchObject({ attempts: 1, attempt_base: 1 });
    });
  });

  describe("expireDue", () => {
    it("expires pending and paused ops past expires_at, with an expired row; never one whose run may land", async () => {
      const s = getStore();
      const pending = (await s.createOp(makeNewOp({ schedule: EVERY, expires_at: T0 + 500 }))).op;
      const paused = (await s.createOp(makeNewOp({ schedule: EVERY, expires_at: T0 + 500 }))).op;
      await s.pauseOp({ id: paused.id, now: T0 });
      const later = (await s.createOp(makeNewOp({ expires_at: T0 + 60_000 }))).op;
      const live = await running(s, { expires_at: T0 + 500 });
      await s.putLedgerEntry(makeLedgerEntry({ op_id: live.id, signature: `sig-${live.id}` }), { owner: "inst-a" });
      await s.releaseOp({ id: live.id, owner: "inst-a", now: T0 + 1, next_exec: T0 + 1, last_error: null });
      expect(await s.expireDue({ now: T0 + 1000, limit: 10, instance: "sweeper" })).toBe(2);
      expect((await s.getOp(pending.id))?.status).toBe("expired");
      expect((await s.getOp(paused.id))?.status).toBe("expired");
      expect((await s.getOp(later.id))?.status).toBe("pending");
      expect((await s.getOp(live.id))?.status).toBe("pending");
      expect(await s.getAttempts(pending.id)).toMatchObject([{ outcome: "expired", instance: "sweeper", run: 1 }]);
      expect(await s.expireDue({ now: T0 + 1000, limit: 10, instance: "sweeper" })).toBe(0);
    });
  });

  it("on_failure defaults to continue for a recurring op and stop for a one-off", async () => {
    const s = getStore();
    expect((await s.createOp(makeNewOp({ schedule: EVERY }))).op.on_failure).toBe("continue");
    expect((await s.createOp(makeNewOp())).op.on_failure).toBe("stop");
    expect((await s.createOp(makeNewOp({ schedule: EVERY, on_failure: "stop" }))).op.on_failure).toBe("stop");
  });
}
