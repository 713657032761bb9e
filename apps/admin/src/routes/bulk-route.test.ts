/**
 * POST /admin/api/courier/ops/bulk: exactly one of ids/filter, each op through the per-op
 * route (same rules, same audit), refusals reported per op.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AdminFixture, createAdminFixture, TEST_ACTION } from "../../test/admin-fixture.js";

const API = "/admin/api/courier";

async function createOps(fx: AdminFixture, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fx.request("POST", `${API}/ops`, { body: { action: TEST_ACTION, params: { n: i + 1 }, delay_ms: 60_000 } });
    ids.push(((await res.json()) as { id: string }).id);
  }
  return ids;
}

async function bulk(fx: AdminFixture, body: unknown) {
  const res = await fx.request("POST", `${API}/ops/bulk`, { body });
  return { status: res.status, json: (await res.json()) as { matched: number; changed: number; skipped: Array<{ id: string; reason: string }>; error?: { code: string } } };
}

describe("POST /ops/bulk", () => {
  let fx: AdminFixture;
  beforeEach(async () => {
    fx = await createAdminFixture();
  });
  afterEach(async () => {
    await fx.close();
  });

  it("refuses a body without exactly one of ids and filter, or with an unknown action", async () => {
    const [id] = await createOps(fx, 1);
    for (const body of [
      { action: "cancel" },
      { action: "cancel", ids: [id], filter: { status: "pending" } },
      { action: "explode", ids: [id] },
      { action: "cancel", ids: [] },
      { action: "cancel", filter: { status: "nope" } },
      { action: "cancel", ids: [id], extra: 1 },
    ]) {
      const { status, json } = await bulk(fx, body);
      expect(status, JSON.stringify(body)).toBe(400);
      expect(json.error?.code).toBe("COURIER__VALIDATION");
    }
    expect((await fx.store.getOp(id as string))?.status).toBe("pending");
  });

  it("cancels the listed ops and reports what it skipped and why", async () => {
    const ids = await createOps(fx, 7);
    await fx.request("POST", `${API}/ops/${ids[0]}/cancel`);
    const target = [...ids.slice(0, 5), "op_missing", ids[1] as string];
    const { status, json } = await bulk(fx, { action: "cancel", ids: target });
    expect(status).toBe(200);
    expect(json.matched).toBe(6); // duplicates count once
    expect(json.changed).toBe(4);
    expect(json.skipped).toEqual([
      { id: ids[0], reason: "COURIER__CONFLICT" },
      { id: "op_missing", reason: "COURIER__NOT_FOUND" },
    ]);
    for (const id of ids.slice(0, 5)) expect((await fx.store.getOp(id))?.status).toBe("cancelled");
    for (const id of ids.slice(5)) expect((await fx.store.getOp(id))?.status).toBe("pending");
    const audit = await fx.store.listAudit({ limit: 50, kind: "op.cancelled" });
    expect(audit).toHaveLength(5);
  });

  it("retries the ops a filter selects", async () => {
    const ids = await createOps(fx, 4);
    fx.clock.advance(61_000);
    for (const id of ids.slice(0, 3)) await fx.finishOp(id, "dead");
    const { json } = await bulk(fx, { action: "retry", filter: { status: "dead" } });
    expect(json).toEqual({ matched: 3, changed: 3, skipped: [] });
    for (const id of ids) expect((await fx.store.getOp(id))?.status).toBe("pending");
  });

  it("pause and resume follow the per-op routes", async () => {
    const ids = await createOps(fx, 2);
    const paused = await bulk(fx, { action: "pause", ids });
    expect(paused.json).toEqual({ matched: 2, changed: 2, skipped: [] });
    for (const id of ids) expect((await fx.store.getOp(id))?.status).toBe("paused");
    const resumed = await bulk(fx, { action: "resume", filter: { status: "paused" } });
    expect(resumed.json).toEqual({ matched: 2, changed: 2, skipped: [] });
    for (const id of ids) expect((await fx.store.getOp(id))?.status).toBe("pending");
  });
});
