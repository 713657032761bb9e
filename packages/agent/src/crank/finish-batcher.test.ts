import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isCourierError } from "../errors.js";
import { LEASE_MS, makeAttempt, makeNewOp, SUCCEED, T0 } from "@courier/testing";
import type { FinishAttemptArgs, Store } from "../types.js";
import { createFinishBatcher } from "./finish-batcher.js";
import { openSqliteStore } from "@courier/sqlite";

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "courier-batcher-"));
  store = await openSqliteStore(join(dir, "courier.db"));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The real store, with a log of the calls that end attempts (a spy, not a fake). */
function spyOn(inner: Store) {
  const calls: Array<{ verb: "finishAttempt" | "finishAttempts"; size: number }> = [];
  const spy = Object.create(inner) as Store;
  spy.finishAttempt = (a) => {
    calls.push({ verb: "finishAttempt", size: 1 });
    return inner.finishAttempt(a);
  };
  spy.finishAttempts = (batch) => {
    calls.push({ verb: "finishAttempts", size: batch.length });
    return inner.finishAttempts(batch);
  };
  return { spy, calls };
}

async function claimed(n: number, owner = "inst-a"): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await store.createOp(makeNewOp())).op.id);
  await store.claimDue({ now: T0, limit: n, owner, lease_ms: LEASE_MS });
  return ids;
}

const args = (id: string, owner = "inst-a"): FinishAttemptArgs => ({ id, owner, now: T0 + 10, transition: SUCCEED, attempt: makeAttempt({ op_id: id, instance: owner }) });

describe("finish batcher", () => {
  it("attempts ending in one turn commit in one finishAttempts call; each caller gets its own result", async () => {
    const ids = await claimed(20);
    const { spy, calls } = spyOn(store);
    const batcher = createFinishBatcher(spy);
    // One op was taken from its owner (cancelled) before its attempt ended.
    await store.cancelOp({ id: ids[3] as string, now: T0 + 5 });
    const results = await Promise.all(ids.map((id) => batcher.finish(args(id))));
    expect(results).toEqual(ids.map((_, i) => i !== 3));
    expect(calls).toEqual([{ verb: "finishAttempts", size: 20 }]);
    expect((await store.stats({ ticks: 0, now: T0 })).ops_by_status).toMatchObject({ succeeded: 19, cancelled: 1, running: 0 });
  });

  it("splits at maxBatch and keeps committing what arrives while a batch commits", async () => {
    const ids = await claimed(10);
    const { spy, calls } = spyOn(store);
    const batcher = createFinishBatcher(spy, 4);
    const first = ids.slice(0, 7).map((id) => batcher.finish(args(id)));
    const late = first[0]?.then(() => Promise.all(ids.slice(7).map((id) => batcher.finish(args(id)))));
    expect(await Promise.all(first)).toEqual(Array(7).fill(true));
    expect(await late).toEqual([true, true, true]);
    // The late three join the batches that follow, with no extra turn: 10 entries in 3 commits.
    expect(calls.map((c) => c.size).reduce((x, y) => x + y, 0)).toBe(10);
    expect(calls.every((c) => c.size <= 4)).toBe(true);
    expect(calls).toHaveLength(3);
  });

  it("a batch refused for one bad entry is retried one by one: only that entry fails", async () => {
    const [a, b, c] = (await claimed(3)) as [string, string, string];
    const { spy, calls } = spyOn(store);
    const batcher = createFinishBatcher(spy);
    const bad = { ...args(b), attempt: makeAttempt({ op_id: a }) };
    const settled = await Promise.allSettled([batcher.finish(args(a)), batcher.finish(bad), batcher.finish(args(c))]);
    expect(settled[0]).toEqual({ status: "fulfilled", value: true });
    expect(settled[1].status === "rejected" && isCourierError(settled[1].reason, "COURIER__VALIDATION")).toBe(true);
    expect(settled[2]).toEqual({ status: "fulfilled", value: true });
    expect(calls.map((x) => x.verb)).toEqual(["finishAttempts", "finishAttempt", "finishAttempt", "finishAttempt"]);
    expect((await store.getOp(b))?.status).toBe("running");
  });

  it("an infra failure (store gone) fails every entry of the batch with that error, without retrying each", async () => {
    const ids = await claimed(3);
    const { spy, calls } = spyOn(store);
    const batcher = createFinishBatcher(spy);
    await store.close();
    const settled = await Promise.allSettled(ids.map((id) => batcher.finish(args(id))));
    for (const s of settled) expect(s.status === "rejected" && isCourierError(s.reason, "COURIER__STORE__UNAVAILABLE")).toBe(true);
    expect(calls).toEqual([{ verb: "finishAttempts", size: 3 }]);
  });
});
