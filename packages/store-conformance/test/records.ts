import { describe, expect, it } from "vitest";
import { type AttemptRecord, isCourierError, type Store, type Transition } from "@courier/agent";
import { LEASE_MS, makeAttempt, makeLedgerEntry, makeNewOp, T0 } from "@courier/testing";

const iso = (ms: number) => new Date(ms).toISOString();

/** Claim an op and end the attempt with `outcome` after `latency` ms, moving it per `transition`. */
async function runAttempt(s: Store, id: string, at: number, outcome: AttemptRecord["outcome"], latency: number, transition: Transition) {
  const claimed = await s.claimOne({ id, now: at, owner: "inst-a", lease_ms: LEASE_MS });
  if (!claimed) throw new Error(`could not claim ${id}`);
  const attempt = makeAttempt({
    op_id: id,
    action: claimed.op.action,
    run: claimed.op.run,
    attempt: claimed.op.attempts,
    started_at: at,
    ended_at: at + latency,
    outcome,
    latency_ms: latency,
  });
  expect(await s.finishAttempt({ id, owner: "inst-a", now: at + latency, transition, attempt })).toBe(true);
}

const done = (status: "succeeded" | "failed" | "dead" | "expired", exec_count = 0): Transition => ({ kind: "finish", status, exec_count, last_error: null });
const again = (next_exec: number, run: number, exec_count: number, attempts: number): Transition => ({
  kind: "reschedule",
  next_exec,
  due_at: next_exec,
  run,
  exec_count,
  attempts,
  last_error: null,
});

/** Attempt history, ticks and stats, ledger, spend, audit and op listing. */
export function describeRecords(getStore: () => Store): void {
  describe("attempt history", () => {
    it("recordAttempt keeps history ordered by run and attempt without touching the op", async () => {
      const s = getStore();
      const op = (await s.createOp(makeNewOp())).op;
      const r2 = makeAttempt({ op_id: op.id, run: 2, attempt: 1, outcome: "missed" });
      const r1b = makeAttempt({ op_id: op.id, run: 1, attempt: 2, outcome: "expired", error_code: "X", error: "late" });
      const r1a = makeAttempt({ op_id: op.id, run: 1, attempt: 1, outcome: "retryable", signature: "sig" });
      for (const a of [r2, r1b, r1a]) await s.recordAttempt(a);
      expect(await s.getAttempts(op.id)).toEqual([r1a, r1b, r2]);
      expect(await s.getOp(op.id)).toEqual(op);
    });
  });

  describe("stats", () => {
    it("has every key with zeros on an empty store", async () => {
      const stats = await getStore().stats({ ticks: 10, now: T0 });
      expect(stats).toEqual({
        instances: [],
        totals: { succeeded: 0, failed: 0, retried: 0, dead: 0, expired: 0, missed: 0, cancelled: 0 },
        ops_by_status: { pending: 0, running: 0, paused: 0, succeeded: 0, failed: 0, dead: 0, cancelled: 0, expired: 0 },
        latency_ms: { p50: null, p95: null, p99: null, max: null, count: 0 },
        by_action: {},
        ticks: [],
        last_tick_at: null,
        last_success_at: null,
        last_failure_at: null,
        control: { paused: false, paused_at: null, paused_by: null, halted: false, halted_at: null, halted_reason: null },
      });
    });

    it("counts runs, ops by status, latency and per-action figures; lists the last ticks newest first", async () => {
      const s = getStore();
      const mk = async (action: string, every = false) =>
        (await s.createOp(makeNewOp({ action, schedule: every ? { kind: "every", every_ms: 1000, anchor: T0 } : { kind: "once" } }))).op.id;
      const op1 = await mk("a.x");
      const op2 = await mk("a.x");
      const op3 = await mk("a.x");
      const op9 = await mk("a.x", true);
      const op4 = await mk("b.y");
      const op5 = await mk("b.y");
      await mk("b.y"); // stays pending
      const op7 = await mk("b.y");
      const op8 = await mk("b.y");

      await runAttempt(s, op1, T0, "ok", 100, done("succeeded", 1));
      await runAttempt(s, op2, T0 + 1000, "retryable", 200, again(T0 + 2000, 1, 0, 1));
      await runAttempt(s, op2, T0 + 2000, "ok", 300, done("succeeded", 1));
      await runAttempt(s, op3, T0 + 3000, "permanent", 400, done("failed"));
      await runAttempt(s, op4, T0 + 4000, "retryable", 50, done("dead"));
      await runAttempt(s, op9, T0 + 5000, "ok", 10, again(T0 + 6000, 2, 1, 0));
      await runAttempt(s, op9, T0 + 6000, "ok", 20, again(T0 + 7000, 3, 2, 0));
      await runAttempt(s, op7, T0 + 7000, "expired", 0, done("expired"));
      await s.recordAttempt(makeAttempt({ op_id: op8, action: "b.y", outcome: "missed", ended_at: T0 + 8000 }));
      await s.cancelOp({ id: op5, now: T0 + 9000 });
      await s.recordTick({ id: "t1", instance: "a", started_at: T0 + 1, duration_ms: 4, claimed: 1, succeeded: 1, failed: 0, retried: 0, skipped_in_flight: 0 });
      await s.recordTick({ id: "t3", instance: "a", started_at: T0 + 3, duration_ms: 6, claimed: 3, succeeded: 1, failed: 1, retried: 1, skipped_in_flight: 2 });
      await s.recordTick({ id: "t2", instance: "b", started_at: T0 + 2, duration_ms: 5, claimed: 0, succeeded: 0, failed: 0, retried: 0, skipped_in_flight: 0 });

      const stats = await s.stats({ ticks: 2, now: T0 + 10_000 });
      expect(stats.totals).toEqual({ succeeded: 4, failed: 1, retried: 2, dead: 1, expired: 1, missed: 1, cancelled: 1 });
      expect(stats.ops_by_status).toEqual({ pending: 3, running: 0, paused: 0, succeeded: 2, failed: 1, dead: 1, cancelled: 1, expired: 1 });
      expect(stats.latency_ms).toEqual({ p50: 100, p95: 400, p99: 400, max: 400, count: 7 });
      expect(stats.by_action).toEqual({
        "a.x": { succeeded: 4, failed: 1, p50_ms: 100, p95_ms: 400 },
        "b.y": { succeeded: 0, failed: 1, p50_ms: 50, p95_ms: 50 },
      });
      expect(stats.ticks).toEqual([
        { id: "t3", instance: "a", started_at: iso(T0 + 3), duration_ms: 6, claimed: 3, succeeded: 1, failed: 1, retried: 1, skipped_in_flight: 2 },
        { id: "t2", instance: "b", started_at: iso(T0 + 2), duration_ms: 5, claimed: 0, succeeded: 0, failed: 0, retried: 0, skipped_in_flight: 0 },
      ]);
      expect(stats.last_tick_at).toBe(iso(T0 + 3));
      expect(stats.last_success_at).toBe(iso(T0 + 6020));
      expect(stats.last_failure_at).toBe(iso(T0 + 4050));
    });
  });

  describe("ledger", () => {
    it("puts, updates and reads entries per run and per op; never overwrites", async () => {
      const s = getStore();
      const op = (await s.createOp(makeNewOp())).op;
      const e0 = makeLedgerEntry({ op_id: op.id, signature: "sigA", seq: 0 });
      const e1 = makeLedgerEntry({ op_id: op.id, signature: "sigB", seq: 1, wire: new Uint8Array(1232).fill(7) });
      const r2 = makeLedgerEntry({ op_id: op.id, signature: "sigC", run: 2, wire: new Uint8Array(0) });
      for (const e of [e1, r2, e0]) await s.putLedgerEntry(e);
      expect(await s.getLedgerEntries(op.id, 1)).toEqual([e0, e1]);
      expect(await s.getLedgerEntries(op.id, 3)).toEqual([]);
      await s.updateLedgerEntry({ op_id: op.id, run: 1, seq: 0, state: "expired", error: "blockheight exceeded", now: T0 + 50 });
      const [u0] = await s.getLedgerEntries(op.id, 1);
      expect(u0).toEqual({ ...e0, state: "expired", error: "blockheight exceeded", updated_at: T0 + 50 });
      expect((await s.getOpLedger(op.id)).map((e) => e.signature)).toEqual(["sigA", "sigB", "sigC"]);
      expect(await s.getLedgerEntries(op.id, 2)).toEqual([r2]);

      await expect(s.putLedgerEntry({ ...e0, signature: "sigZ" })).rejects.toSatisfy((e) => isCourierError(e, "COURIER__CONFLICT"));
      await expect(s.putLedgerEntry({ ...e0, seq: 9 })).rejects.toSatisfy((e) => isCourierError(e, "COURIER__CONFLICT"));
      await expect(s.updateLedgerEntry({ op_id: op.id, run: 9, seq: 0, state: "sent", error: null, now: T0 })).rejects.toSatisfy((e) =>
        isCourierError(e, "COURIER__NOT_FOUND"),
      );
    });

    it("updates a batch of entries in one call, each reported ok or not_found", async () => {
      const s = getStore();
      const op = (await s.createOp(makeNewOp())).op;
      const e0 = makeLedgerEntry({ op_id: op.id, signature: "sigU0", seq: 0 });
      const e1 = makeLedgerEntry({ op_id: op.id, signature: "sigU1", seq: 1 });
      for (const e of [e0, e1]) await s.putLedgerEntry(e);
      expect(await s.updateLedgerEntries([])).toEqual([]);
      const results = await s.updateLedgerEntries([
        { op_id: op.id, run: 1, seq: 1, state: "landed", error: null, now: T0 + 7 },
        { op_id: op.id, run: 5, seq: 0, state: "landed", error: null, now: T0 + 7 },
        { op_id: op.id, run: 1, seq: 0, state: "failed", error: "boom", now: T0 + 8 },
      ]);
      expect(results).toEqual(["ok", "not_found", "ok"]);
      expect(await s.getLedgerEntries(op.id, 1)).toEqual([
        { ...e0, state: "failed", error: "boom", updated_at: T0 + 8 },
        { ...e1, state: "landed", updated_at: T0 + 7 },
      ]);
      expect(await s.getLedgerEntries(op.id, 5)).toEqual([]);
    });
  });

  describe("spend", () => {
    it("reserves up to the cap, refuses past it, releases, and sums the day", async () => {
      const s = getStore();
      const day = "2026-01-01";
      expect(await s.reserveSpend({ signer: "S1", day, lamports: 60, cap: 100 })).toBe(60);
      expect(await s.reserveSpend({ signer: "S1", day, lamports: 50, cap: 100 })).toBeNull();
      expect(await s.reserveSpend({ signer: "S1", day, lamports: 40, cap: 100 })).toBe(100);
      expect(await s.reserveSpend({ signer: "S1", day, lamports: 1, cap: 100 })).toBeNull();
      expect(await s.reserveSpend({ signer: "S1", day, lamports: 1, cap: null })).toBe(101);
      expect(await s.reserveSpend({ signer: "S1", day: "2026-01-02", lamports: 100, cap: 100 })).toBe(100);
      await s.releaseSpend({ signer: "S1", day, lamports: 31 });
      expect(await s.reserveSpend({ signer: "S2", day, lamports: 5, cap: 100 })).toBe(5);
      expect(await s.spendToday({ day })).toBe(75);
      expect(await s.spendToday({ day: "2025-12-31" })).toBe(0);
    });

    it("reserves a batch in order in one call, each entry checked against what the earlier ones left", async () => {
      const s = getStore();
      const day = "2026-01-01";
      expect(await s.reserveSpends([])).toEqual([]);
      expect(await s.reserveSpend({ signer: "S1", day, lamports: 10, cap: 100 })).toBe(10);
      const results = await s.reserveSpends([
        { signer: "S1", day, lamports: 50, cap: 100 },
        { signer: "S2", day, lamports: 7, cap: 100 },
        { signer: "S1", day, lamports: 50, cap: 100 },
        { signer: "S1", day: "2026-01-02", lamports: 100, cap: 100 },
        { signer: "S1", day, lamports: 40, cap: 100 },
        { signer: "S1", day, lamports: 5, cap: null },
      ]);
      expect(results).toEqual([60, 7, null, 100, 100, 105]);
      expect(await s.spendToday({ day })).toBe(112);
      // A bad entry refuses the whole batch: nothing of it is reserved.
      await expect(s.reserveSpends([{ signer: "S3", day, lamports: 5, cap: null }, { signer: "S3", day, lamports: -1, cap: null }])).rejects.toSatisfy((e) =>
        isCourierError(e, "COURIER__VALIDATION"),
      );
      expect(await s.spendToday({ day })).toBe(112);
    });

    it("concurrent reservations never pass the cap together", async () => {
      const s = getStore();
      const results = await Promise.all(
        Array.from({ length: 20 }, () => s.reserveSpend({ signer: "S", day: "2026-01-01", lamports: 10, cap: 100 })),
      );
      expect(results.filter((r) => r !== null)).toHaveLength(10);
      expect(await s.spendToday({ day: "2026-01-01" })).toBe(100);
    });
  });

  describe("audit", () => {
    it("lists events newest first, optionally by kind", async () => {
      const s = getStore();
      await s.audit({ at: T0, instance: "a", kind: "pause", op_id: null, data: { by: "cli" } });
      await s.audit({ at: T0 + 1, instance: null, kind: "restart", op_id: null, data: { n: 1 } });
      await s.audit({ at: T0 + 2, instance: "a", kind: "pause", op_id: "op_1", data: { nested: { ok: true } } });
      const all = await s.listAudit({ limit: 10 });
      expect(all.map((e) => e.at)).toEqual([T0 + 2, T0 + 1, T0]);
      expect(all[0]).toMatchObject({ instance: "a", kind: "pause", op_id: "op_1", data: { nested: { ok: true } } });
      expect(typeof all[0]?.id).toBe("number");
      expect((await s.listAudit({ limit: 1 })).map((e) => e.at)).toEqual([T0 + 2]);
      expect((await s.listAudit({ limit: 10, kind: "pause" })).map((e) => e.at)).toEqual([T0 + 2, T0]);
    });
  });

  describe("listOps", () => {
    it("pages newest first with an opaque cursor, with and without filters", async () => {
      const s = getStore();
      const ids: Array<{ id: string; created_at: number; action: string }> = [];
      for (let i = 0; i < 25; i++) {
        // pairs share created_at so the id tie-break is exercised
        const op = makeNewOp({ created_at: T0 + Math.floor(i / 2), action: i % 2 === 0 ? "a.x" : "b.y" });
        await s.createOp(op);
        ids.push({ id: op.id, created_at: op.created_at, action: op.action });
      }
      const expected = [...ids].sort((x, y) => y.created_at - x.created_at || (y.id < x.id ? -1 : 1)).map((x) => x.id);

      const seen: string[] = [];
      const sizes: number[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 10; page++) {
        const res: { ops: Array<{ id: string }>; next_cursor: string | null } = await s.listOps({ limit: 10, cursor });
        sizes.push(res.ops.length);
        seen.push(...res.ops.map((o) => o.id));
        cursor = res.next_cursor;
        if (!cursor) break;
      }
      expect(sizes).toEqual([10, 10, 5]);
      expect(seen).toEqual(expected);

      const ax: string[] = [];
      cursor = null;
      for (let page = 0; page < 10; page++) {
        const res: { ops: Array<{ id: string; action: string }>; next_cursor: string | null } = await s.listOps({ limit: 4, action: "a.x", cursor });
        expect(res.ops.every((o) => o.action === "a.x")).toBe(true);
        ax.push(...res.ops.map((o) => o.id));
        cursor = res.next_cursor;
        if (!cursor) break;
      }
      expect(ax).toEqual(expected.filter((id) => ids.find((x) => x.id === id)?.action === "a.x"));

      for (const id of expected.slice(0, 3)) await s.cancelOp({ id, now: T0 });
      const p1 = await s.listOps({ limit: 2, status: "cancelled" });
      const p2 = await s.listOps({ limit: 2, status: "cancelled", cursor: p1.next_cursor });
      expect([...p1.ops, ...p2.ops].map((o) => o.id)).toEqual(expected.slice(0, 3));
      expect(p2.next_cursor).toBeNull();
      const both = await s.listOps({ limit: 50, status: "cancelled", action: "b.y" });
      expect(both.ops.every((o) => o.status === "cancelled" && o.action === "b.y")).toBe(true);
      expect(both.ops.length).toBe(expected.slice(0, 3).filter((id) => ids.find((x) => x.id === id)?.action === "b.y").length);

      await expect(s.listOps({ limit: 10, cursor: "not-a-cursor" })).rejects.toSatisfy((e) => isCourierError(e, "COURIER__VALIDATION"));
    });

    it("caps a page at 500 ops", async () => {
      const s = getStore();
      for (let i = 0; i < 501; i++) await s.createOp(makeNewOp({ created_at: T0 + i }));
      const res = await s.listOps({ limit: 10_000 });
      expect(res.ops).toHaveLength(500);
      expect(res.next_cursor).not.toBeNull();
      expect((await s.listOps({ limit: 10_000, cursor: res.next_cursor })).ops).toHaveLength(1);
    });
  });
}
