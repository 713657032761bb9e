/** The per-op operator verbs over HTTP: cancel while a transaction may land, pause/resume. */
import { describe, expect, it } from "vitest";
import { useAdminFixture, TEST_ACTION } from "../test/admin-fixture.js";

const API = "/admin/api/courier/ops";

describe("operator verbs on one op", () => {
  const fx = useAdminFixture();

  async function create(body: Record<string, unknown> = {}): Promise<{ id: string }> {
    const res = await fx.request("POST", API, { body: { action: TEST_ACTION, params: { n: 1 }, ...body } });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string };
  }

  interface VerbAnswer {
    status: number;
    body: Record<string, unknown> & { error: { code: string; details?: Record<string, unknown> } };
  }

  async function post(id: string, verb: string): Promise<VerbAnswer> {
    const res = await fx.request("POST", `${API}/${id}/${verb}`);
    return { status: res.status, body: (await res.json()) as VerbAnswer["body"] };
  }

  /** Claim the op as a crank would and record a signed transaction for its run. */
  async function signInFlight(id: string): Promise<void> {
    await fx.store.claimOne({ id, now: fx.clock.now(), owner: "crank-1", lease_ms: 30_000 });
    const now = fx.clock.now();
    await fx.store.putLedgerEntry(
      { op_id: id, run: 1, seq: 0, signature: `sig-${id}`, wire: new Uint8Array([1]), blockhash: "b", last_valid_block_height: 10, state: "sent", error: null, lamports: 5, signer: "s", created_at: now, updated_at: now },
      { owner: "crank-1" },
    );
  }

  it("cancel of a one-off whose transaction is signed: 409 COURIER__OP__IN_FLIGHT with the signature; nothing changes", async () => {
    const { id } = await create();
    await signInFlight(id);
    const r = await post(id, "cancel");
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: "COURIER__OP__IN_FLIGHT", details: { id, signatures: [`sig-${id}`] } });
    expect((await fx.store.getOp(id))?.status).toBe("running");
  });

  it("cancel of a recurring op with a run in flight: 200, future runs stop, cancelled when the run resolves", async () => {
    const { id } = await create({ every_ms: 60_000 });
    await signInFlight(id);
    const r = await post(id, "cancel");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id, status: "running", after_run: "cancel" });
    expect((await post(id, "cancel")).status).toBe(200);
    const now = fx.clock.now();
    await fx.store.updateLedgerEntry({ op_id: id, run: 1, seq: 0, state: "landed", error: null, now });
    await fx.store.finishAttempt({
      id,
      owner: "crank-1",
      now,
      transition: { kind: "reschedule", next_exec: now + 60_000, due_at: now + 60_000, run: 2, exec_count: 1, attempts: 0, last_error: null },
      attempt: { op_id: id, run: 1, attempt: 1, instance: "crank-1", action: TEST_ACTION, started_at: now, ended_at: now, outcome: "ok", error_code: null, error: null, signature: `sig-${id}`, latency_ms: 1 },
    });
    expect((await fx.store.getOp(id))?.status).toBe("cancelled");
    expect((await post(id, "cancel")).body.error.code).toBe("COURIER__CONFLICT");
  });

  it("pause and resume answer 200 with the op; a paused op is not claimed; resume of a pending op is 409", async () => {
    const { id } = await create({ every_ms: 60_000 });
    const paused = await post(id, "pause");
    expect(paused).toMatchObject({ status: 200, body: { id, status: "paused" } });
    expect((await post(id, "pause")).status).toBe(200);
    expect(await fx.store.claimDue({ now: fx.clock.now() + 120_000, limit: 5, owner: "c", lease_ms: 1000 })).toEqual([]);
    const resumed = await post(id, "resume");
    expect(resumed).toMatchObject({ status: 200, body: { id, status: "pending" } });
    expect((await post(id, "resume")).body.error).toMatchObject({ code: "COURIER__CONFLICT", details: { status: "pending" } });
    expect((await post("op_nope", "pause")).status).toBe(404);
    const audit = await fx.store.listAudit({ limit: 10 });
    expect(audit.map((a) => a.kind)).toEqual(expect.arrayContaining(["op.paused", "op.resumed"]));
  });

  it("pause of a running op holds until its run ends; cancel then pause of a terminal op is 409", async () => {
    const { id } = await create({ every_ms: 60_000 });
    await fx.store.claimOne({ id, now: fx.clock.now(), owner: "crank-1", lease_ms: 30_000 });
    expect((await post(id, "pause")).body).toMatchObject({ status: "running", after_run: "pause" });
    const done = await create();
    await post(done.id, "cancel");
    expect((await post(done.id, "pause")).status).toBe(409);
  });
});
