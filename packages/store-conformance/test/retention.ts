import { describe, expect, it } from "vitest";
import { isPruneComplete, type Store } from "@courier/agent";
import { LEASE_MS, SUCCEED, T0, makeAttempt, makeLedgerEntry, makeNewOp } from "@courier/testing";

const DAY = 86_400_000;

/** Retention (prune-rules.ts): what one cutoff removes and what it keeps, in batches. */
export function describeRetention(getStore: () => Store): void {
  /** A one-off op claimed and succeeded at `at`, with a landed ledger entry and an audit row. */
  async function finishedOp(s: Store, at: number, signature: string): Promise<string> {
    const op = (await s.createOp(makeNewOp({ next_exec: at, created_at: at - 1_000 }))).op;
    await s.claimOne({ id: op.id, now: at, owner: "a", lease_ms: LEASE_MS });
    await s.putLedgerEntry(makeLedgerEntry({ op_id: op.id, signature, created_at: at, updated_at: at, state: "landed" }));
    await s.audit({ at, instance: "a", kind: "op.test", op_id: op.id, data: {} });
    expect(await s.finishAttempt({ id: op.id, owner: "a", now: at, transition: SUCCEED, attempt: makeAttempt({ op_id: op.id, started_at: at, ended_at: at }) })).toBe(true);
    return op.id;
  }

  /** A recurring op whose run 1 ended 40 days ago (attempt + landed entry) and whose run 2 is running now. */
  async function recurringOpInRun2(s: Store) {
    const old = T0 - 40 * DAY;
    const op = (await s.createOp(makeNewOp({ schedule: { kind: "every", every_ms: 60_000, anchor: old }, next_exec: old, created_at: old }))).op;
    await s.claimOne({ id: op.id, now: old, owner: "a", lease_ms: LEASE_MS });
    await s.putLedgerEntry(makeLedgerEntry({ op_id: op.id, run: 1, signature: "SigRun1", created_at: old, updated_at: old, state: "landed" }));
    const next = { kind: "reschedule", next_exec: T0, due_at: T0, run: 2, exec_count: 1, attempts: 0, last_error: null } as const;
    await s.finishAttempt({ id: op.id, owner: "a", now: old, transition: next, attempt: makeAttempt({ op_id: op.id, run: 1, started_at: old, ended_at: old }) });
    await s.claimOne({ id: op.id, now: T0, owner: "a", lease_ms: LEASE_MS });
    await s.putLedgerEntry(makeLedgerEntry({ op_id: op.id, run: 2, signature: "SigRun2", created_at: T0, updated_at: T0, state: "sent" }));
    return op;
  }

  describe("prune", () => {
    it("removes terminal ops older than the cutoff with their attempts, ledger and audit rows; keeps newer and live ones", async () => {
      const s = getStore();
      const old = T0 - 40 * DAY;
      const oldIds = [await finishedOp(s, old, "SigOld1"), await finishedOp(s, old + 1, "SigOld2"), await finishedOp(s, old + 2, "SigOld3")];
      const recent = await finishedOp(s, T0 - DAY, "SigRecent");
      const pending = (await s.createOp(makeNewOp({ next_exec: T0 + DAY, created_at: old - 5_000 }))).op;
      const before = T0 - 30 * DAY;

      // Batches of 2: a first batch that fills its limit, then the rest.
      const first = await s.prune({ before, limit: 2 });
      expect(first.ops).toBe(2);
      const second = await s.prune({ before, limit: 2 });
      expect(second.ops).toBe(1);
      expect(first.attempts + second.attempts).toBe(3);
      expect(first.ledger + second.ledger).toBe(3);
      expect(first.audit + second.audit).toBe(3);
      expect(await s.prune({ before, limit: 2 })).toEqual({ ops: 0, attempts: 0, ledger: 0, audit: 0, outbox: 0, alerts: 0 });

      for (const id of oldIds) {
        expect(await s.getOp(id)).toBeNull();
        expect(await s.getAttempts(id)).toEqual([]);
        expect(await s.getOpLedger(id)).toEqual([]);
      }
      expect((await s.getOp(recent))?.status).toBe("succeeded");
      expect(await s.getOpLedger(recent)).toHaveLength(1);
      expect(await s.getAttempts(recent)).toHaveLength(1);
      // A pending op is never pruned, however old.
      expect((await s.getOp(pending.id))?.status).toBe("pending");
      expect(await s.oldestOpAt()).toBe(pending.created_at);
    });

    it("prunes finished runs of a live recurring op: attempts first, then that run's ledger; the current run stays", async () => {
      const s = getStore();
      const op = await recurringOpInRun2(s);

      const counts = await s.prune({ before: T0 - 30 * DAY, limit: 100 });
      expect(counts).toMatchObject({ ops: 0, attempts: 1, ledger: 1 });
      expect((await s.getOp(op.id))?.status).toBe("running");
      expect((await s.getOpLedger(op.id)).map((e) => e.signature)).toEqual(["SigRun2"]);
    });

    it("behind a backlog of old terminal ops, a live op's finished runs go once the backlog is gone", async () => {
      const s = getStore();
      const old = T0 - 40 * DAY;
      const finished = [await finishedOp(s, old, "SigB1"), await finishedOp(s, old + 1, "SigB2")];
      const op = await recurringOpInRun2(s);
      const before = T0 - 30 * DAY;
      // A batch that fills its limit with terminal ops does not look for old runs yet...
      const first = await s.prune({ before, limit: 1 });
      expect(first).toMatchObject({ ops: 1, attempts: 1, ledger: 1 });
      // ...the batches after it do, until the pass is complete.
      const counts = [first];
      while (!isPruneComplete(counts[counts.length - 1] as object, 1)) counts.push(await s.prune({ before, limit: 1 }));
      const sum = (k: "ops" | "attempts" | "ledger") => counts.reduce((n, c) => n + c[k], 0);
      expect({ ops: sum("ops"), attempts: sum("attempts"), ledger: sum("ledger") }).toEqual({ ops: 2, attempts: 3, ledger: 3 });
      for (const id of finished) expect(await s.getOp(id)).toBeNull();
      expect((await s.getOpLedger(op.id)).map((e) => e.signature)).toEqual(["SigRun2"]);
      expect((await s.getAttempts(op.id)).map((a) => a.run)).toEqual([]);
    });

    it("removes delivered webhooks and resolved alerts older than the cutoff; keeps pending ones and firing alerts", async () => {
      const s = getStore();
      const old = T0 - 40 * DAY;
      await s.enqueueOutbox({ event_id: "evt_old_delivered", type: "op.succeeded", payload: {}, now: old });
      await s.enqueueOutbox({ event_id: "evt_old_pending", type: "op.succeeded", payload: {}, now: old });
      const [delivered] = await s.claimOutbox({ now: old, limit: 1, owner: "d", lease_ms: 1_000 });
      await s.markOutboxDelivered({ id: delivered?.id as number, owner: "d", now: old });
      await s.transitionAlert({ key: "old_resolved", state: "firing", now: old, data: {} });
      await s.transitionAlert({ key: "old_resolved", state: "resolved", now: old + 1, data: {} });
      await s.transitionAlert({ key: "still_firing", state: "firing", now: old, data: {} });

      const counts = await s.prune({ before: T0 - 30 * DAY, limit: 100 });
      expect(counts).toMatchObject({ outbox: 1, alerts: 1 });
      expect(await s.outboxSummary()).toMatchObject({ pending: 1, delivered: 0 });
      expect((await s.getAlerts()).map((a) => a.key)).toEqual(["still_firing"]);
    });
  });
}
