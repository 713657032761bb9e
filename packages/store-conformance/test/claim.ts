import { describe, expect, it } from "vitest";
import { isCourierError, type Store } from "@courier/agent";
import { LEASE_MS, makeAttempt, makeNewOp, SUCCEED, T0 } from "@courier/testing";

/** createOp, the claim path and the attempt lifecycle. */
export function describeClaimPath(getStore: () => Store): void {
  describe("createOp", () => {
    it("inserts a pending op at run 1 with no attempts", async () => {
      const s = getStore();
      const input = makeNewOp({ params: { to: "x", lamports: 5 }, schedule: { kind: "every", every_ms: 1000, anchor: T0 } });
      const { op, created } = await s.createOp(input);
      expect(created).toBe(true);
      expect(op).toMatchObject({
        id: input.id,
        status: "pending",
        run: 1,
        attempts: 0,
        exec_count: 0,
        next_exec: T0,
        due_at: T0,
        created_at: input.created_at,
        updated_at: input.created_at,
        params: { to: "x", lamports: 5 },
        schedule: { kind: "every", every_ms: 1000, anchor: T0 },
        lease_owner: null,
        lease_until: null,
        last_error: null,
      });
      expect(await s.getOp(input.id)).toEqual(op);
      expect(await s.getOp("op_missing")).toBeNull();
    });

    it("returns the first op for a repeated idempotency key and creates nothing", async () => {
      const s = getStore();
      const first = await s.createOp(makeNewOp({ idempotency_key: "k1" }));
      const second = await s.createOp(makeNewOp({ idempotency_key: "k1", action: "other" }));
      expect(second.created).toBe(false);
      expect(second.op).toEqual(first.op);
      const all = await s.listOps({ limit: 10 });
      expect(all.ops).toHaveLength(1);
      // ops without a key never collide
      expect((await s.createOp(makeNewOp())).created).toBe(true);
      expect((await s.createOp(makeNewOp())).created).toBe(true);
    });

    it("the same NewOp twice with its idempotency key (a retried request) returns the first", async () => {
      const s = getStore();
      const op = makeNewOp({ idempotency_key: "retry-me" });
      const first = await s.createOp(op);
      const second = await s.createOp({ ...op });
      expect(second).toEqual({ op: first.op, created: false });
    });

    it("refuses a duplicate id with COURIER__CONFLICT", async () => {
      const s = getStore();
      const op = makeNewOp();
      await s.createOp(op);
      await expect(s.createOp({ ...op })).rejects.toSatisfy((e) => isCourierError(e, "COURIER__CONFLICT"));
    });

    it("nextDueAt is the earliest pending next_exec", async () => {
      const s = getStore();
      expect(await s.nextDueAt()).toBeNull();
      await s.createOp(makeNewOp({ next_exec: T0 + 500 }));
      const early = await s.createOp(makeNewOp({ next_exec: T0 + 100 }));
      expect(await s.nextDueAt()).toBe(T0 + 100);
      await s.claimDue({ now: T0 + 100, limit: 1, owner: "a", lease_ms: LEASE_MS });
      expect((await s.getOp(early.op.id))?.status).toBe("running");
      expect(await s.nextDueAt()).toBe(T0 + 500);
    });
  });

  describe("claimDue", () => {
    it("claims only due ops, earliest first, up to the limit, and counts the attempt", async () => {
      const s = getStore();
      const a = (await s.createOp(makeNewOp({ next_exec: T0 - 300 }))).op;
      const b = (await s.createOp(makeNewOp({ next_exec: T0 - 100 }))).op;
      const c = (await s.createOp(makeNewOp({ next_exec: T0 - 200 }))).op;
      const later = (await s.createOp(makeNewOp({ next_exec: T0 + 1000 }))).op;

      const first = await s.claimDue({ now: T0, limit: 2, owner: "inst-a", lease_ms: LEASE_MS });
      expect(first.map((x) => x.op.id)).toEqual([a.id, c.id]);
      for (const x of first) {
        expect(x.reclaimed).toBe(false);
        expect(x.op).toMatchObject({ status: "running", attempts: 1, lease_owner: "inst-a", lease_until: T0 + LEASE_MS, updated_at: T0 });
      }
      expect(await s.getOp(a.id)).toEqual(first[0]?.op);

      const second = await s.claimDue({ now: T0, limit: 10, owner: "inst-b", lease_ms: LEASE_MS });
      expect(second.map((x) => x.op.id)).toEqual([b.id]);
      // running ops are not claimable again, and `later` is not due
      expect(await s.claimDue({ now: T0, limit: 10, owner: "inst-b", lease_ms: LEASE_MS })).toEqual([]);
      expect((await s.getOp(a.id))?.lease_owner).toBe("inst-a");

      const third = await s.claimDue({ now: T0 + 1000, limit: 10, owner: "inst-b", lease_ms: LEASE_MS });
      expect(third.map((x) => x.op.id)).toEqual([later.id]);
    });

    it("a limit of 0 claims nothing", async () => {
      const s = getStore();
      await s.createOp(makeNewOp());
      expect(await s.claimDue({ now: T0, limit: 0, owner: "a", lease_ms: LEASE_MS })).toEqual([]);
    });
  });

  describe("claimOne", () => {
    it("wins once; a second claim, an undue op or an unknown id gets null", async () => {
      const s = getStore();
      const op = (await s.createOp(makeNewOp())).op;
      const notDue = (await s.createOp(makeNewOp({ next_exec: T0 + 5000 }))).op;
      const won = await s.claimOne({ id: op.id, now: T0, owner: "inst-a", lease_ms: LEASE_MS });
      expect(won?.op).toMatchObject({ id: op.id, status: "running", attempts: 1, lease_owner: "inst-a" });
      expect(won?.reclaimed).toBe(false);
      expect(await s.claimOne({ id: op.id, now: T0, owner: "inst-b", lease_ms: LEASE_MS })).toBeNull();
      expect(await s.claimOne({ id: notDue.id, now: T0, owner: "inst-b", lease_ms: LEASE_MS })).toBeNull();
      expect(await s.claimOne({ id: "op_missing", now: T0, owner: "inst-b", lease_ms: LEASE_MS })).toBeNull();
      expect((await s.getOp(op.id))?.lease_owner).toBe("inst-a");
    });
  });

  describe("leases", () => {
    it("renewLeases extends only the leases the owner holds", async () => {
      const s = getStore();
      const a = (await s.createOp(makeNewOp())).op;
      const b = (await s.createOp(makeNewOp())).op;
      await s.claimOne({ id: a.id, now: T0, owner: "inst-a", lease_ms: LEASE_MS });
      await s.claimOne({ id: b.id, now: T0, owner: "inst-b", lease_ms: LEASE_MS });
      const held = await s.renewLeases({ ids: [a.id, b.id, "op_missing"], owner: "inst-a", now: T0 + 10_000, lease_ms: LEASE_MS });
      expect(held).toEqual([a.id]);
      expect((await s.getOp(a.id))?.lease_until).toBe(T0 + 10_000 + LEASE_MS);
      expect((await s.getOp(b.id))?.lease_until).toBe(T0 + LEASE_MS);
      expect(await s.renewLeases({ ids: [], owner: "inst-a", now: T0, lease_ms: LEASE_MS })).toEqual([]);
    });

    it("reclaimExpired frees dead owners' ops; the next claim reports reclaimed and counts the attempt once", async () => {
      const s = getStore();
      const op = (await s.createOp(makeNewOp())).op;
      const other = (await s.createOp(makeNewOp())).op;
      await s.claimOne({ id: op.id, now: T0, owner: "dead", lease_ms: 1000 });
      await s.claimOne({ id: other.id, now: T0, owner: "alive", lease_ms: 60_000 });

      expect(await s.reclaimExpired({ now: T0 + 1000, limit: 10 })).toBe(0); // lease_until is not yet past
      expect(await s.reclaimExpired({ now: T0 + 1001, limit: 10 })).toBe(1);
      expect(await s.getOp(op.id)).toMatchObject({ status: "pending", attempts: 0, next_exec: T0 + 1001, lease_owner: null, lease_until: null });
      expect((await s.getOp(other.id))?.status).toBe("running");

      const [again] = await s.claimDue({ now: T0 + 1001, limit: 10, owner: "heir", lease_ms: LEASE_MS });
      expect(again?.reclaimed).toBe(true);
      expect(again?.op).toMatchObject({ id: op.id, attempts: 1, lease_owner: "heir" });

      // the dead owner can no longer finish the attempt
      expect(await s.finishAttempt({ id: op.id, owner: "dead", now: T0 + 2000, transition: SUCCEED, attempt: makeAttempt({ op_id: op.id, instance: "dead" }) })).toBe(false);

      // a retryable end of the reclaimed attempt clears the flag
      await s.finishAttempt({
        id: op.id,
        owner: "heir",
        now: T0 + 2000,
        transition: { kind: "reschedule", next_exec: T0 + 3000, due_at: T0, run: 1, exec_count: 0, attempts: 1, last_error: "boom" },
        attempt: makeAttempt({ op_id: op.id, instance: "heir", outcome: "retryable" }),
      });
      const next = await s.claimOne({ id: op.id, now: T0 + 3000, owner: "heir", lease_ms: LEASE_MS });
      expect(next?.reclaimed).toBe(false);
      expect(next?.op.attempts).toBe(2);
    });

    it("reclaimExpired is batched by limit", async () => {
      const s = getStore();
      for (let i = 0; i < 5; i++) await s.createOp(makeNewOp());
      await s.claimDue({ now: T0, limit: 5, owner: "dead", lease_ms: 10 });
      expect(await s.reclaimExpired({ now: T0 + 100, limit: 3 })).toBe(3);
      expect(await s.reclaimExpired({ now: T0 + 100, limit: 3 })).toBe(2);
      expect(await s.reclaimExpired({ now: T0 + 100, limit: 3 })).toBe(0);
    });
  });

  describe("finishAttempt", () => {
    it("applies a finish only for the owner and records the attempt in the same step", async () => {
      const s = getStore();
      const op = (await s.createOp(makeNewOp())).op;
      await s.claimOne({ id: op.id, now: T0, owner: "inst-a", lease_ms: LEASE_MS });
      const attempt = makeAttempt({ op_id: op.id, signature: "sig1" });

      expect(await s.finishAttempt({ id: op.id, owner: "inst-b", now: T0 + 10, transition: SUCCEED, attempt })).toBe(false);
      expect(await s.getAttempts(op.id)).toEqual([]);
      expect((await s.getOp(op.id))?.status).toBe("running");

      expect(await s.finishAttempt({ id: op.id, owner: "inst-a", now: T0 + 10, transition: SUCCEED, attempt })).toBe(true);
      expect(await s.getOp(op.id)).toMatchObject({ status: "succeeded", exec_count: 1, lease_owner: null, lease_until: null, updated_at: T0 + 10 });
      expect(await s.getAttempts(op.id)).toEqual([attempt]);

      // already finished: a second finish is refused and records nothing
      expect(await s.finishAttempt({ id: op.id, owner: "inst-a", now: T0 + 20, transition: SUCCEED, attempt })).toBe(false);
      expect(await s.getAttempts(op.id)).toHaveLength(1);
    });

    it("reschedule puts the op back to pending with the given fields", async () => {
      const s = getStore();
      const op = (await s.createOp(makeNewOp({ schedule: { kind: "every", every_ms: 1000, anchor: T0 } }))).op;
      await s.claimOne({ id: op.id, now: T0, owner: "inst-a", lease_ms: LEASE_MS });
      const ok = await s.finishAttempt({
        id: op.id,
        owner: "inst-a",
        now: T0 + 50,
        transition: { kind: "reschedule", next_exec: T0 + 1000, due_at: T0 + 1000, run: 2, exec_count: 1, attempts: 0, last_error: null },
        attempt: makeAttempt({ op_id: op.id }),
      });
      expect(ok).toBe(true);
      expect(await s.getOp(op.id)).toMatchObject({
        status: "pending",
        next_exec: T0 + 1000,
        due_at: T0 + 1000,
        run: 2,
        exec_count: 1,
        attempts: 0,
        lease_owner: null,
        lease_until: null,
      });
    });
  });

  describe("releaseOp", () => {
    it("gives the op back without consuming its attempt, only for the owner", async () => {
      const s = getStore();
      const op = (await s.createOp(makeNewOp())).op;
      await s.claimOne({ id: op.id, now: T0, owner: "inst-a", lease_ms: LEASE_MS });
      expect(await s.releaseOp({ id: op.id, owner: "inst-b", now: T0 + 5, next_exec: T0 + 100, last_error: null })).toBe(false);
      expect(await s.releaseOp({ id: op.id, owner: "inst-a", now: T0 + 5, next_exec: T0 + 100, last_error: "rpc down" })).toBe(true);
      expect(await s.getOp(op.id)).toMatchObject({
        status: "pending",
        attempts: 0,
        next_exec: T0 + 100,
        last_error: "rpc down",
        lease_owner: null,
        lease_until: null,
      });
      expect(await s.claimOne({ id: op.id, now: T0 + 99, owner: "inst-a", lease_ms: LEASE_MS })).toBeNull();
      expect((await s.claimOne({ id: op.id, now: T0 + 100, owner: "inst-a", lease_ms: LEASE_MS }))?.op.attempts).toBe(1);
    });

    it("keeps the reclaimed flag: the run has not ended", async () => {
      const s = getStore();
      const op = (await s.createOp(makeNewOp())).op;
      await s.claimOne({ id: op.id, now: T0, owner: "dead", lease_ms: 10 });
      await s.reclaimExpired({ now: T0 + 11, limit: 10 });
      await s.claimOne({ id: op.id, now: T0 + 11, owner: "heir", lease_ms: LEASE_MS });
      await s.releaseOp({ id: op.id, owner: "heir", now: T0 + 12, next_exec: T0 + 12, last_error: null });
      expect((await s.claimOne({ id: op.id, now: T0 + 12, owner: "heir", lease_ms: LEASE_MS }))?.reclaimed).toBe(true);
    });
  });
}
