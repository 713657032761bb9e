import { describe, expect, it } from "vitest";
import type { Store } from "@courier/agent";
import { makeAttempt, makeNewOp, T0 } from "@courier/testing";

/** The dashboard's reads: due ops in order, an op by idempotency key, outcomes per bucket. */
export function describeDashboardReads(getStore: () => Store): void {
  describe("dashboard reads", () => {
    it("listDueOps: pending ops due by `until`, soonest first, bounded; others never", async () => {
      const s = getStore();
      const late = (await s.createOp(makeNewOp({ next_exec: T0 + 5_000 }))).op;
      const soon = (await s.createOp(makeNewOp({ next_exec: T0 + 1_000 }))).op;
      const overdue = (await s.createOp(makeNewOp({ next_exec: T0 - 1_000 }))).op;
      await s.createOp(makeNewOp({ next_exec: T0 + 99_000 }));
      const cancelled = (await s.createOp(makeNewOp({ next_exec: T0 + 2_000 }))).op;
      await s.cancelOp({ id: cancelled.id, now: T0 });
      expect((await s.listDueOps({ until: T0 + 10_000, limit: 10 })).map((o) => o.id)).toEqual([overdue.id, soon.id, late.id]);
      expect((await s.listDueOps({ until: T0 + 10_000, limit: 2 })).map((o) => o.id)).toEqual([overdue.id, soon.id]);
    });

    it("getOpByIdempotencyKey finds the op with that key, null otherwise", async () => {
      const s = getStore();
      const op = (await s.createOp(makeNewOp({ idempotency_key: "payroll-2026-01" }))).op;
      expect((await s.getOpByIdempotencyKey("payroll-2026-01"))?.id).toBe(op.id);
      expect(await s.getOpByIdempotencyKey("payroll-2026-02")).toBeNull();
    });

    it("countAttemptOutcomes counts attempts that ran per outcome and bucket inside [since, until)", async () => {
      const s = getStore();
      const op = (await s.createOp(makeNewOp())).op;
      const record = (attempt: number, ended_at: number, outcome: "ok" | "retryable" | "permanent") =>
        s.recordAttempt(makeAttempt({ op_id: op.id, attempt, started_at: ended_at - 5, ended_at, outcome }));
      await record(1, T0 - 1, "ok"); // before `since`
      await record(2, T0, "ok");
      await record(3, T0 + 999, "ok");
      await record(4, T0 + 1_000, "retryable");
      await record(5, T0 + 1_500, "permanent");
      await record(6, T0 + 3_000, "ok"); // at `until`: excluded
      await s.recordAttempt(makeAttempt({ op_id: op.id, attempt: 7, ended_at: T0 + 10, outcome: "missed" }));
      const rows = await s.countAttemptOutcomes({ since: T0, until: T0 + 3_000, bucket_ms: 1_000 });
      const sorted = [...rows].sort((a, b) => a.bucket - b.bucket || a.outcome.localeCompare(b.outcome));
      expect(sorted).toEqual([
        { bucket: T0, outcome: "ok", n: 2 },
        { bucket: T0 + 1_000, outcome: "permanent", n: 1 },
        { bucket: T0 + 1_000, outcome: "retryable", n: 1 },
      ]);
    });
  });
}
