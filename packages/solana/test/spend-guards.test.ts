/**
 * Spend guards refuse before anything is signed: the op fails with the guard's code, an audit
 * event records it, and the localnet sees no transaction.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isCourierError, type Store, systemClock } from "@courier/agent";
import { openSqliteStore } from "@courier/sqlite";
import { Keypair } from "@solana/web3.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSpendGuards } from "../src/guards/index.js";
import { createHarness, type Harness, LAMPORTS_PER_SOL } from "./helpers/harness.js";

describe("spend guards", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({
      slotMs: 20,
      executor: { maxLamportsPerOp: 5 * LAMPORTS_PER_SOL, dailyCapLamports: 8 * LAMPORTS_PER_SOL, instance: "guards-test" },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("an op over the per-op cap fails with COURIER__OP__SPEND_CAP and sends nothing", async () => {
    const before = h.localnet.transactionCount();
    const op = await h.schedule("sol.transfer", { to: Keypair.generate().publicKey.toBase58(), lamports: 6 * LAMPORTS_PER_SOL });
    const [done] = await h.waitTerminal([op.id], 10_000);
    expect(done?.status).toBe("failed");
    const attempts = await h.store.getAttempts(op.id);
    expect(attempts.map((a) => a.error_code)).toEqual(["COURIER__OP__SPEND_CAP"]);
    expect(h.localnet.transactionCount()).toBe(before);
    expect(await h.store.getOpLedger(op.id)).toEqual([]);
    const audit = await h.store.listAudit({ limit: 10, kind: "spend_guard.refused" });
    expect(audit.some((a) => a.op_id === op.id && a.data.code === "COURIER__OP__SPEND_CAP")).toBe(true);
  });

  it("the daily cap is persisted across ops and refuses the one that would pass it", async () => {
    const to1 = Keypair.generate().publicKey.toBase58();
    const first = await h.schedule("sol.transfer", { to: to1, lamports: 4 * LAMPORTS_PER_SOL });
    const [d1] = await h.waitTerminal([first.id], 15_000);
    expect(d1?.status).toBe("succeeded");
    const second = await h.schedule("sol.transfer", { to: to1, lamports: 3 * LAMPORTS_PER_SOL });
    const [d2] = await h.waitTerminal([second.id], 15_000);
    expect(d2?.status).toBe("succeeded");
    const before = h.localnet.transactionCount();
    const third = await h.schedule("sol.transfer", { to: to1, lamports: 2 * LAMPORTS_PER_SOL });
    const [d3] = await h.waitTerminal([third.id], 15_000);
    expect(d3?.status).toBe("failed");
    expect((await h.store.getAttempts(third.id)).map((a) => a.error_code)).toEqual(["COURIER__OP__DAILY_SPEND_CAP"]);
    expect(h.localnet.transactionCount()).toBe(before);
    expect(await h.localnet.getBalance(to1)).toBe(BigInt(7 * LAMPORTS_PER_SOL));
    const day = new Date().toISOString().slice(0, 10);
    expect(await h.store.spendToday({ day })).toBe(7 * LAMPORTS_PER_SOL);
  });

  it("reservations made together commit in one transaction, each checked against the cap in turn", async () => {
    const dir = await mkdtemp(join(tmpdir(), "courier-spend-batch-"));
    const store = await openSqliteStore(join(dir, "courier.db"));
    try {
      const batches: number[] = [];
      const spy = Object.create(store) as Store;
      spy.reserveSpends = (batch) => {
        batches.push(batch.length);
        return store.reserveSpends(batch);
      };
      const guards = createSpendGuards({ store: spy, clock: systemClock, signer: "S", instance: null, maxLamportsPerOp: null, dailyCapLamports: 30, feeCeilingMicroLamports: null });
      const results = await Promise.allSettled([10, 10, 20, 10, 5].map((lamports, i) => guards.reserve({ op_id: `op${i}`, lamports })));
      expect(batches).toEqual([5]);
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "rejected"]);
      expect(isCourierError((results[2] as PromiseRejectedResult).reason, "COURIER__OP__DAILY_SPEND_CAP")).toBe(true);
      const day = new Date().toISOString().slice(0, 10);
      expect(await store.spendToday({ day })).toBe(30);
      expect((await store.listAudit({ limit: 10, kind: "spend_guard.refused" })).map((a) => a.op_id).sort()).toEqual(["op2", "op4"]);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
