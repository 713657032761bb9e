import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isCourierError } from "../errors.js";
import { LEASE_MS, makeLedgerEntry, makeNewOp, T0 } from "@courier/testing";
import type { Store } from "../types.js";
import { createLedgerBatcher } from "./ledger-batcher.js";
import { openSqliteStore } from "@courier/sqlite";

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "courier-ledger-batcher-"));
  store = await openSqliteStore(join(dir, "courier.db"));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("ledger batcher", () => {
  it("commits the entries of one moment in one putLedgerEntries call; each put resolves only after it", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await store.createOp(makeNewOp())).op.id);
    await store.claimDue({ now: T0, limit: 12, owner: "inst-a", lease_ms: LEASE_MS });
    const batches: number[] = [];
    const spy = Object.create(store) as Store;
    spy.putLedgerEntries = (batch) => {
      batches.push(batch.length);
      return store.putLedgerEntries(batch);
    };
    const ledger = createLedgerBatcher(spy);
    await Promise.all(
      ids.map(async (id) => {
        await ledger.put({ entry: makeLedgerEntry({ op_id: id, signature: `sig-${id}` }), owner: "inst-a" });
        // Resolved: the entry is durable (readable from the store) before the caller may send.
        expect(await store.getLedgerEntries(id, 1)).toHaveLength(1);
      }),
    );
    expect(batches).toEqual([12]);
  });

  it("rejects a lost lease and a conflict with putLedgerEntry's errors, the others written", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await store.createOp(makeNewOp())).op.id);
    const [a, b, c] = ids as [string, string, string];
    await store.claimDue({ now: T0, limit: 3, owner: "inst-a", lease_ms: LEASE_MS });
    await store.cancelOp({ id: b, now: T0 + 1 });
    await store.putLedgerEntry(makeLedgerEntry({ op_id: c, signature: "taken" }), { owner: "inst-a" });
    const ledger = createLedgerBatcher(store);
    const results = await Promise.allSettled([
      ledger.put({ entry: makeLedgerEntry({ op_id: a, signature: "sig-a" }), owner: "inst-a" }),
      ledger.put({ entry: makeLedgerEntry({ op_id: b, signature: "sig-b" }), owner: "inst-a" }),
      ledger.put({ entry: makeLedgerEntry({ op_id: c, signature: "sig-c", seq: 0 }), owner: "inst-a" }),
    ]);
    expect(results[0]?.status).toBe("fulfilled");
    const reason = (i: number) => (results[i] as PromiseRejectedResult).reason;
    expect(isCourierError(reason(1), "COURIER__OP__LEASE_LOST")).toBe(true);
    expect(isCourierError(reason(2), "COURIER__CONFLICT")).toBe(true);
    expect(await store.getLedgerEntries(a, 1)).toHaveLength(1);
    expect(await store.getLedgerEntries(b, 1)).toHaveLength(0);
  });

  it("updates the entries of one moment in one updateLedgerEntries call; a missing entry rejects with NOT_FOUND, the others written", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await store.createOp(makeNewOp())).op.id);
    for (const id of ids) await store.putLedgerEntry(makeLedgerEntry({ op_id: id, signature: `sig-${id}` }));
    const batches: number[] = [];
    const spy = Object.create(store) as Store;
    spy.updateLedgerEntries = (batch) => {
      batches.push(batch.length);
      return store.updateLedgerEntries(batch);
    };
    const ledger = createLedgerBatcher(spy);
    const results = await Promise.allSettled([
      ...ids.map((id) => ledger.update({ op_id: id, run: 1, seq: 0, state: "landed", error: null, now: T0 + 9 })),
      ledger.update({ op_id: "op_missing", run: 1, seq: 0, state: "landed", error: null, now: T0 + 9 }),
    ]);
    expect(batches).toEqual([6]);
    expect(results.slice(0, 5).map((r) => r.status)).toEqual(Array(5).fill("fulfilled"));
    expect(isCourierError((results[5] as PromiseRejectedResult).reason, "COURIER__NOT_FOUND")).toBe(true);
    for (const id of ids) expect((await store.getLedgerEntries(id, 1))[0]).toMatchObject({ state: "landed", updated_at: T0 + 9 });
  });
});
