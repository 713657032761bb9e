import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAdminMetrics } from "./metrics/create-admin-metrics.js";
import { type AdminFixture, createAdminFixture, START, TEST_ACTION } from "../test/admin-fixture.js";
import type { RpcEndpointHealth } from "./types.js";

const API = "/admin/api/courier";

// biome-ignore lint/suspicious/noExplicitAny: tests read deeply nested response JSON
type NestedJson = Record<string, any>;

describe("admin app: happy paths", () => {
  let fx: AdminFixture;
  let wakes = 0;
  let rpc: RpcEndpointHealth[];
  const metrics = createAdminMetrics();

  beforeEach(async () => {
    wakes = 0;
    rpc = [
      {
        endpoint: "http://rpc-a.test",
        healthy: true,
        circuit: "closed",
        latency_ms: 12,
        down_since: null,
        last_error: null,
        rate_limit: { mode: "auto", rps: 37.5, methods: { sendTransaction: 19.25 }, blocked_until: null },
      },
    ];
    fx = await createAdminFixture({
      rpcHealth: () => rpc,
      sendWindow: () => ({ size: 48, open: 5 }),
      crankState: () => "running",
      onScheduled: () => {
        wakes++;
      },
      metrics,
      spendCapPerDay: 5_000_000,
    });
  });
  afterEach(async () => {
    await fx.close();
  });

  async function createOp(body: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const res = await fx.request("POST", `${API}/ops`, { body: { action: TEST_ACTION, params: { n: 1 }, ...body } });
    expect(res.status).toBe(201);
    return (await res.json()) as Record<string, unknown>;
  }

  it("GET /healthz answers ok", async () => {
    const res = await fx.request("GET", "/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it("GET /readyz is 200 when the crank can work", async () => {
    const res = await fx.request("GET", "/readyz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ready: true });
  });

  it("POST /ops creates an op (201), wakes the crank, and returns the op object with ISO times", async () => {
    const op = await createOp({ delay_ms: 30_000, max_attempts: 3 });
    expect(op).toMatchObject({
      action: TEST_ACTION,
      params: { n: 1 },
      status: "pending",
      next_exec: new Date(START + 30_000).toISOString(),
      created_at: new Date(START).toISOString(),
      max_attempts: 3,
      exec_count: 0,
      attempts: 0,
      schedule: { kind: "once" },
      idempotency_key: null,
      expires_at: null,
    });
    expect(op.id).toMatch(/^op_/);
    expect(wakes).toBe(1);
    expect(await fx.countOps()).toBe(1);
  });

  it("POST /ops with a repeated idempotency_key returns the first op (200) and creates nothing", async () => {
    const first = await createOp({ idempotency_key: "pay-42" });
    // Timing alone does not make the body different.
    const res = await fx.request("POST", `${API}/ops`, {
      body: { action: TEST_ACTION, params: { n: 1 }, delay_ms: 5_000, idempotency_key: "pay-42" },
    });
    expect(res.status).toBe(200);
    const again = (await res.json()) as Record<string, unknown>;
    expect(again.id).toBe(first.id);
    expect(again.params).toEqual({ n: 1 });
    expect(await fx.countOps()).toBe(1);
    expect(wakes).toBe(1);
  });

  it("POST /ops with a reused idempotency_key and a different body answers 409 IDEMPOTENCY_CONFLICT naming what differs", async () => {
    const first = await createOp({ idempotency_key: "pay-43" });
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ params: { n: 2 } }, ["params"]],
      [{ params: { n: 1 }, every_ms: 60_000 }, ["schedule"]],
    ];
    for (const [change, differs] of cases) {
      const res = await fx.request("POST", `${API}/ops`, { body: { action: TEST_ACTION, params: { n: 1 }, idempotency_key: "pay-43", ...change } });
      expect(res.status).toBe(409);
      const body = (await res.json()) as { error: { code: string; details: { id: string; differs: string[] } } };
      expect(body.error.code).toBe("COURIER__OP__IDEMPOTENCY_CONFLICT");
      expect(body.error.details).toMatchObject({ id: first.id, differs });
    }
    const every = await createOp({ idempotency_key: "pay-44", every_ms: 60_000 });
    const res = await fx.request("POST", `${API}/ops`, { body: { action: TEST_ACTION, params: { n: 1 }, idempotency_key: "pay-44", every_ms: 120_000 } });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { details: { id: string; differs: string[] } } }).error.details).toEqual({ id: every.id, differs: ["every_ms"] });
    expect(await fx.countOps()).toBe(2);
  });

  it("POST /ops refuses a run_at more than 60 s in the past unless allow_past is true", async () => {
    const past = START - 10 * 60_000;
    const res = await fx.request("POST", `${API}/ops`, { body: { action: TEST_ACTION, params: { n: 1 }, run_at: past } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string; details: { field: string } } }).error).toMatchObject({
      details: { field: "run_at" },
      message: expect.stringMatching(/in the past.*allow_past/),
    });
    expect(await fx.countOps()).toBe(0);
    const late = await createOp({ run_at: START - 30_000 });
    expect(late.next_exec).toBe(new Date(START - 30_000).toISOString());
    const allowed = await createOp({ run_at: past, allow_past: true });
    expect(allowed.next_exec).toBe(new Date(past).toISOString());
  });

  it("POST /ops refuses unknown params keys by name", async () => {
    const res = await fx.request("POST", `${API}/ops`, { body: { action: TEST_ACTION, params: { n: 1, nonce_acount: "x" } } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; details: { field: string } } };
    expect(body.error.details.field).toBe("params.nonce_acount");
    expect(body.error.message).toBe("params.nonce_acount: unknown field");
  });

  it("POST /ops accepts interval and cron schedules with ISO or epoch times", async () => {
    const every = await createOp({ every_ms: 60_000, max_exec: 3, run_at: START + 1000 });
    expect(every.schedule).toEqual({ kind: "every", every_ms: 60_000, anchor: new Date(START + 1000).toISOString() });
    const cron = await createOp({ cron: "0 9 * * *", tz: "Europe/Paris", expires_at: "2026-06-01T00:00:00Z" });
    expect(cron.schedule).toEqual({ kind: "cron", cron: "0 9 * * *", tz: "Europe/Paris" });
    expect(cron.expires_at).toBe("2026-06-01T00:00:00.000Z");
    expect(cron.next_exec).toBe("2026-01-02T08:00:00.000Z");
  });

  it("GET /ops lists newest first with filters and cursor pagination", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await createOp()).id as string);
      fx.clock.advance(1);
    }
    const cancelled = ids[1] as string;
    expect((await fx.request("POST", `${API}/ops/${cancelled}/cancel`)).status).toBe(200);

    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 5; page++) {
      const qs: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : "?limit=2";
      const res = await fx.request("GET", `${API}/ops${qs}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { ops: Array<{ id: string }>; next_cursor: string | null };
      expect(body.ops.length).toBeLessThanOrEqual(2);
      seen.push(...body.ops.map((o) => o.id));
      cursor = body.next_cursor;
      if (!cursor) break;
    }
    expect(seen).toEqual([...ids].reverse());

    const byStatus = (await (await fx.request("GET", `${API}/ops?status=cancelled`)).json()) as { ops: Array<{ id: string }> };
    expect(byStatus.ops.map((o) => o.id)).toEqual([cancelled]);
    const byAction = (await (await fx.request("GET", `${API}/ops?action=nope`)).json()) as { ops: unknown[]; next_cursor: null };
    expect(byAction).toEqual({ ops: [], next_cursor: null });
  });

  it("GET /ops/:id shows the op with runs, attempts and signatures", async () => {
    const op = await createOp();
    const id = op.id as string;
    await fx.store.putLedgerEntry({
      op_id: id,
      run: 1,
      seq: 0,
      signature: "5igSig",
      wire: new Uint8Array([1, 2, 3]),
      blockhash: "hash",
      last_valid_block_height: 150,
      state: "signed",
      error: null,
      lamports: 1000,
      signer: "Signer111",
      created_at: START,
      updated_at: START,
    });
    await fx.finishOp(id, "succeeded");

    const res = await fx.request("GET", `${API}/ops/${id}`);
    expect(res.status).toBe(200);
    const shown = (await res.json()) as NestedJson;
    expect(shown.id).toBe(id);
    expect(shown.status).toBe("succeeded");
    expect(shown.runs).toHaveLength(1);
    expect(shown.runs[0].run).toBe(1);
    expect(shown.runs[0].attempts).toEqual([
      expect.objectContaining({ attempt: 1, outcome: "ok", signature: "5igSig", latency_ms: 25, error: null, started_at: new Date(START).toISOString() }),
    ]);
    expect(shown.runs[0].signatures).toEqual([expect.objectContaining({ signature: "5igSig", seq: 0, state: "signed" })]);
    expect(shown.signatures).toEqual([expect.objectContaining({ run: 1, signature: "5igSig" })]);
    // the signed wire bytes are not part of the answer
    expect(JSON.stringify(shown)).not.toContain("wire");
  });

  it("POST /ops/:id/cancel cancels a pending op (200) and audits it", async () => {
    const op = await createOp();
    const res = await fx.request("POST", `${API}/ops/${op.id}/cancel`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe("cancelled");
    const audit = (await (await fx.request("GET", `${API}/audit?kind=op.cancelled`)).json()) as { events: Array<Record<string, unknown>> };
    expect(audit.events).toEqual([expect.objectContaining({ kind: "op.cancelled", op_id: op.id, instance: "test-instance" })]);
  });

  it("POST /ops/:id/retry puts a dead op back to pending (200) and wakes the crank", async () => {
    const op = await createOp();
    await fx.finishOp(op.id as string, "dead");
    fx.clock.advance(5000);
    const res = await fx.request("POST", `${API}/ops/${op.id}/retry`, { body: {} });
    expect(res.status).toBe(200);
    const retried = (await res.json()) as Record<string, unknown>;
    expect(retried).toMatchObject({ status: "pending", attempts: 0, next_exec: new Date(START + 5000).toISOString() });
    expect(wakes).toBe(2);
  });

  it("POST /pause and /resume flip the shared control (200 {state}); resume clears a halt; both are audited", async () => {
    const paused = await fx.request("POST", `${API}/pause`, { body: { by: "ops-oncall" } });
    expect(paused.status).toBe(200);
    expect(await paused.json()).toMatchObject({ state: "paused", control: { paused: true, paused_by: "ops-oncall" } });
    expect((await fx.store.getControl()).paused).toBe(true);

    await fx.store.setHalted({ halted: true, reason: "restart budget spent", now: fx.clock.now() });
    const resumed = await fx.request("POST", `${API}/resume`);
    expect(resumed.status).toBe(200);
    expect(await resumed.json()).toMatchObject({ state: "running", control: { paused: false, halted: false } });
    const control = await fx.store.getControl();
    expect(control.paused || control.halted).toBe(false);

    const audit = (await (await fx.request("GET", `${API}/audit?limit=10`)).json()) as { events: Array<{ kind: string; at: string }> };
    expect(audit.events.map((e) => e.kind)).toEqual(["crank.resumed", "crank.halt_cleared", "crank.paused"]);
    expect(audit.events[0]?.at).toBe(new Date(START).toISOString());
  });

  it("GET /readyz is 503 with reasons and a recommended_action when paused", async () => {
    await fx.request("POST", `${API}/pause`);
    const res = await fx.request("GET", "/readyz");
    expect(res.status).toBe(503);
    const body = (await res.json()) as { ready: boolean; reasons: string[]; recommended_action: string };
    expect(body.ready).toBe(false);
    expect(body.reasons).toEqual([`crank paused by admin-api@test-instance since ${new Date(START).toISOString()}`]);
    expect(body.recommended_action).toBe("POST /admin/api/courier/resume to continue");
  });

  it("GET /readyz names all RPC endpoints down since T, and a halt, with what to do", async () => {
    rpc = [
      { endpoint: "http://rpc-a.test", healthy: false, circuit: "open", latency_ms: null, down_since: START - 60_000 },
      { endpoint: "http://rpc-b.test", healthy: false, circuit: "half_open", latency_ms: null, down_since: START - 30_000 },
    ];
    let body = (await (await fx.request("GET", "/readyz")).json()) as { reasons: string[]; recommended_action: string };
    expect(body.reasons).toEqual([`all RPC endpoints down since ${new Date(START - 30_000).toISOString()}`]);
    expect(body.recommended_action).toBe("check COURIER_RPC_URLS and the provider's status page");

    await fx.store.setHalted({ halted: true, reason: "restart budget spent", now: START });
    const res = await fx.request("GET", "/readyz");
    expect(res.status).toBe(503);
    body = (await res.json()) as { reasons: string[]; recommended_action: string };
    expect(body.reasons[0]).toBe(`crank halted since ${new Date(START).toISOString()}: restart budget spent`);
    expect(body.recommended_action).toContain("POST /admin/api/courier/resume");
  });

  it("GET /stats returns the store stats plus state, rpc and spend; ?ticks bounds the tick list", async () => {
    await createOp();
    for (let i = 0; i < 3; i++) {
      await fx.store.recordTick({
        id: `tick-${i}`,
        instance: "test-instance",
        started_at: START + i * 1000,
        duration_ms: 2,
        claimed: 1,
        succeeded: 1,
        failed: 0,
        retried: 0,
        skipped_in_flight: 0,
      });
    }
    const res = await fx.request("GET", `${API}/stats?ticks=2`);
    expect(res.status).toBe(200);
    const stats = (await res.json()) as NestedJson;
    expect(stats.state).toBe("running");
    expect(stats.ops_by_status.pending).toBe(1);
    expect(stats.ticks.map((t: { id: string }) => t.id)).toEqual(["tick-2", "tick-1"]);
    expect(stats.rpc).toEqual([
      {
        endpoint: "http://rpc-a.test",
        healthy: true,
        circuit: "closed",
        latency_ms: 12,
        down_since: null,
        last_error: null,
        rate_limit: { mode: "auto", rps: 37.5, methods: { sendTransaction: 19.25 }, blocked_until: null },
      },
    ]);
    expect(stats.send_window).toEqual({ size: 48, open: 5 });
    expect(stats.spend).toEqual({ lamports_today: 0, cap_per_day: 5_000_000 });
    for (const key of ["instances", "totals", "latency_ms", "by_action", "last_tick_at", "last_success_at", "last_failure_at"]) {
      expect(stats).toHaveProperty(key);
    }
    const all = (await (await fx.request("GET", `${API}/stats`)).json()) as { ticks: unknown[] };
    expect(all.ticks).toHaveLength(3);
  });

  it("GET /metrics exposes the Prometheus metrics, refreshed from the store at scrape time", async () => {
    await createOp();
    metrics.observeAttempt({ action: TEST_ACTION, outcome: "ok", latency_ms: 40 });
    metrics.observeTick({ duration_ms: 3 });
    metrics.observeDispatchLag(5);
    const res = await fx.request("GET", "/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    for (const name of [
      'courier_ops{status="pending"} 1',
      `courier_attempts_total{action="${TEST_ACTION}",outcome="ok"}`,
      "courier_attempt_latency_seconds_bucket",
      "courier_tick_duration_seconds_bucket",
      "courier_dispatch_lag_seconds_bucket",
      'courier_rpc_endpoint_up{endpoint="http://rpc-a.test"} 1',
      'courier_rpc_circuit_state{endpoint="http://rpc-a.test",state="closed"} 1',
      'courier_rpc_rate_limit_rps{endpoint="http://rpc-a.test",method="*"} 37.5',
      'courier_rpc_rate_limit_rps{endpoint="http://rpc-a.test",method="sendTransaction"} 19.25',
      "courier_rpc_send_window 48",
      "courier_rpc_send_window_open 5",
      "courier_spend_lamports_today 0",
      "courier_spend_cap_lamports_per_day 5000000",
      'courier_crank_state{state="running"} 1',
    ]) {
      expect(text).toContain(name);
    }
  });

  it("GET /admin/api/openapi.json describes the create body from the zod schema", async () => {
    const res = await fx.request("GET", "/admin/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as NestedJson;
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.schemas.CreateOp.properties.every_ms.minimum).toBe(100);
    expect(doc.components.schemas[`params.${TEST_ACTION}`].required).toEqual(["n"]);
    expect(Object.keys(doc.paths)).toContain("/admin/api/courier/ops/{id}/cancel");
    // servers: the origin this request reached; every operation named and summarised; answers typed
    expect(doc.servers).toEqual([{ url: "http://127.0.0.1", description: expect.any(String) }]);
    for (const methods of Object.values(doc.paths) as NestedJson[]) {
      for (const op of Object.values(methods) as NestedJson[]) {
        expect(op.operationId).toMatch(/^[a-z][A-Za-z]+$/);
        expect(op.summary).toEqual(expect.any(String));
        for (const answer of Object.values(op.responses) as NestedJson[]) expect(answer.content).toBeDefined();
      }
    }
    expect(doc.paths["/admin/api/courier/ops/{id}"].get.responses["200"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/OpDetail" });
  });

  it("responses carry no CORS headers and are not cacheable", async () => {
    const res = await fx.request("GET", `${API}/stats`, { headers: { origin: "http://evil.test" } });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("cache-control")).toBe("no-store");
    const preflight = await fx.request("OPTIONS", `${API}/ops`, { headers: { origin: "http://evil.test", "access-control-request-method": "POST" } });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    expect(preflight.status).toBe(404);
  });
});
