/**
 * Every live answer of the admin API validates against the OpenAPI document the app serves:
 * each route is driven through its successes and its refusals (400, 401, 403, 404, 409,
 * 413, 415, 421, 500, 503) on a real SQLite store, and each answer's status must be documented
 * for its operation and its body must match the documented schema. The document must also
 * list exactly the routes the Hono app registers.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { type AdminFixture, createAdminFixture, START, TEST_ACTION } from "../test/admin-fixture.js";
import { createOpenApiValidator, type CheckedAnswer, type OpenApiDoc } from "@courier/testing/openapi";
import type { AdminDeps } from "./types.js";

const API = "/admin/api/courier";
const TOKEN = "conformance-token-0123456789";
/** `METHOD template status` of every answer checked in this file. */
const covered = new Set<string>();
const documented = new Set<string>();

interface Driver {
  fx: AdminFixture;
  doc: OpenApiDoc;
  send(method: string, path: string, opts?: Parameters<AdminFixture["request"]>[2]): Promise<CheckedAnswer>;
}

async function createDriver(overrides: Partial<AdminDeps> = {}): Promise<Driver> {
  const fx = await createAdminFixture(overrides);
  const res = await fx.request("GET", "/admin/api/openapi.json", overrides.token ? { token: overrides.token } : {});
  expect(res.status).toBe(200);
  const doc = (await res.clone().json()) as OpenApiDoc;
  const validator = createOpenApiValidator(doc);
  for (const [path, methods] of Object.entries(doc.paths)) for (const method of Object.keys(methods)) documented.add(`${method.toUpperCase()} ${path}`);
  const send: Driver["send"] = async (method, path, opts) => {
    const answer = await validator.check(method, path, await fx.request(method, path, opts));
    covered.add(`${method} ${answer.template} ${answer.status}`);
    return answer;
  };
  await send("GET", "/admin/api/openapi.json", overrides.token ? { token: overrides.token } : {});
  return { fx, doc, send };
}

const rpcHealth = () => [
  { endpoint: "http://rpc-a.test", healthy: true, circuit: "closed" as const, latency_ms: 12, rate_limit: { mode: "auto" as const, rps: 40, methods: { sendTransaction: 20 }, blocked_until: START + 500 } },
  { endpoint: "http://rpc-b.test", healthy: false, circuit: "open" as const, latency_ms: null, down_since: START - 1000, last_error: "HTTP 503" },
];

describe("OpenAPI conformance: every answer of every route", () => {
  let d: Driver;
  beforeEach(async () => {
    d = await createDriver({ rpcHealth, sendWindow: () => ({ size: 12, open: 3 }), spendCapPerDay: 5_000_000, retentionDays: 30 });
  });
  afterEach(async () => {
    await d.fx.close();
  });

  async function create(body: Record<string, unknown> = {}): Promise<string> {
    const r = await d.send("POST", `${API}/ops`, { body: { action: TEST_ACTION, params: { n: 1 }, ...body } });
    expect(r.status).toBe(201);
    return r.body.id as string;
  }

  async function signInFlight(id: string): Promise<void> {
    await d.fx.store.claimOne({ id, now: d.fx.clock.now(), owner: "crank-1", lease_ms: 30_000 });
    const now = d.fx.clock.now();
    await d.fx.store.putLedgerEntry(
      { op_id: id, run: 1, seq: 0, signature: `sig-${id}`, wire: new Uint8Array([1]), blockhash: "b", last_valid_block_height: 10, state: "sent", error: null, lamports: 5, signer: "s", created_at: now, updated_at: now },
      { owner: "crank-1" },
    );
  }

  it("health, readiness, metrics and stats", async () => {
    expect((await d.send("GET", "/healthz")).body).toEqual({ ok: true });
    expect((await d.send("GET", "/readyz")).status).toBe(200);
    expect((await d.send("GET", "/metrics")).body).toContain("courier_ops");
    const id = await create({ every_ms: 60_000 });
    await d.fx.finishOp(await create(), "succeeded");
    await d.fx.store.heartbeat({ instance: "test-instance", started_at: START, now: START + 10, in_flight: 0, ticked: true });
    await d.fx.store.recordTick({ id: "t1", instance: "test-instance", started_at: START, duration_ms: 3, claimed: 1, succeeded: 1, failed: 0, retried: 0, skipped_in_flight: 0 });
    await d.fx.store.setHalted({ halted: true, reason: "restart budget spent", now: START });
    const stats = await d.send("GET", `${API}/stats?ticks=5`);
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ state: "halted", rpc: [{ endpoint: "http://rpc-a.test" }, { healthy: false }], ticks: [{ id: "t1" }] });
    expect(stats.body.by_action[TEST_ACTION]).toMatchObject({ succeeded: 1 });
    expect((await d.send("GET", `${API}/stats?ticks=0`)).status).toBe(400);
    expect((await d.send("GET", "/readyz")).body).toMatchObject({ ready: false });
    expect(id).toMatch(/./);
  });

  it("schedule an op: 201, 200 (same key), 400, 409, 403, 413, 415, 421", async () => {
    const body = { action: TEST_ACTION, params: { n: 1 }, idempotency_key: "k-1" };
    expect((await d.send("POST", `${API}/ops`, { body })).status).toBe(201);
    expect((await d.send("POST", `${API}/ops`, { body })).status).toBe(200);
    const conflict = await d.send("POST", `${API}/ops`, { body: { ...body, params: { n: 2 } } });
    expect(conflict.body.error.code).toBe("COURIER__OP__IDEMPOTENCY_CONFLICT");
    expect((await d.send("POST", `${API}/ops`, { body: { action: "nope" } })).body.error.code).toBe("COURIER__ACTION__UNKNOWN");
    expect((await d.send("POST", `${API}/ops`, { body: { action: TEST_ACTION, params: { n: 0 } } })).status).toBe(400);
    expect((await d.send("POST", `${API}/ops`, { raw: "{not json", headers: { "content-type": "application/json" } })).status).toBe(400);
    expect((await d.send("POST", `${API}/ops`, { raw: "x=1", headers: { "content-type": "text/plain" } })).status).toBe(415);
    expect((await d.send("POST", `${API}/ops`, { body, headers: { origin: "http://evil.test" } })).status).toBe(403);
    expect((await d.send("POST", `${API}/ops`, { raw: `{"action":"${"x".repeat(70_000)}"}`, headers: { "content-type": "application/json" } })).status).toBe(413);
    expect((await d.send("GET", `${API}/ops`, { headers: { host: "evil.test" } })).status).toBe(421);
    expect((await d.send("GET", "/healthz", { headers: { host: "evil.test" } })).status).toBe(421);
  });

  it("list, show and the per-op verbs: 200, 400, 404, 409 (conflict and in flight)", async () => {
    const id = await create();
    await d.fx.store.putLedgerEntry(
      { op_id: id, run: 1, seq: 0, signature: "5igSig", wire: new Uint8Array([1]), blockhash: "h", last_valid_block_height: 150, state: "landed", error: null, lamports: 1000, signer: "S", created_at: START, updated_at: START },
    );
    await d.fx.finishOp(id, "dead");
    const shown = await d.send("GET", `${API}/ops/${id}`);
    expect(shown.body.runs[0]).toMatchObject({ run: 1, attempts: [{ outcome: "permanent" }], signatures: [{ signature: "5igSig" }] });
    expect((await d.send("GET", `${API}/ops/op_missing`)).status).toBe(404);
    expect((await d.send("GET", `${API}/ops?limit=1`)).body.next_cursor).toBeNull();
    expect((await d.send("GET", `${API}/ops?stauts=pending`)).status).toBe(400);

    expect((await d.send("POST", `${API}/ops/${id}/retry`)).body.status).toBe("pending");
    expect((await d.send("POST", `${API}/ops/${id}/retry`, { body: {} })).status).toBe(409);
    const other = await create();
    expect((await d.send("POST", `${API}/ops/${other}/pause`)).body.status).toBe("paused");
    expect((await d.send("POST", `${API}/ops/${other}/resume`)).body.status).toBe("pending");
    expect((await d.send("POST", `${API}/ops/${other}/resume`)).status).toBe(409);
    expect((await d.send("POST", `${API}/ops/${other}/cancel`)).body.status).toBe("cancelled");
    expect((await d.send("POST", `${API}/ops/${other}/cancel`)).body.error.code).toBe("COURIER__CONFLICT");
    expect((await d.send("POST", `${API}/ops/${other}/pause`)).status).toBe(409);
    for (const verb of ["cancel", "retry", "pause", "resume"]) {
      expect((await d.send("POST", `${API}/ops/op_missing/${verb}`)).status).toBe(404);
      expect((await d.send("POST", `${API}/ops/${id}/${verb}`, { body: { x: 1 } })).status).toBe(400);
      expect((await d.send("POST", `${API}/ops/${id}/${verb}`, { raw: "x", headers: { "content-type": "text/plain" } })).status).toBe(415);
    }
    const inFlight = await create();
    await signInFlight(inFlight);
    const refused = await d.send("POST", `${API}/ops/${inFlight}/cancel`);
    expect(refused.body.error).toMatchObject({ code: "COURIER__OP__IN_FLIGHT", details: { signatures: [`sig-${inFlight}`] } });
    const recurring = await create({ every_ms: 60_000 });
    await signInFlight(recurring);
    expect((await d.send("POST", `${API}/ops/${recurring}/cancel`)).body).toMatchObject({ after_run: "cancel" });
  });

  it("bulk, crank pause/resume, audit", async () => {
    const a = await create();
    const bulk = await d.send("POST", `${API}/ops/bulk`, { body: { action: "cancel", ids: [a, "op_missing"] } });
    expect(bulk.body).toEqual({ matched: 2, changed: 1, skipped: [{ id: "op_missing", reason: "COURIER__NOT_FOUND" }] });
    expect((await d.send("POST", `${API}/ops/bulk`, { body: { action: "retry", filter: { status: "cancelled" } } })).status).toBe(200);
    expect((await d.send("POST", `${API}/ops/bulk`, { body: { action: "cancel" } })).status).toBe(400);
    const paused = (await d.send("POST", `${API}/pause`, { body: { by: "ops-team" } })).body.control;
    expect(paused).toMatchObject({ paused: true, paused_by: "ops-team", paused_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) });
    // Stats show the same control row, its times in ISO-8601 like every time in a response.
    expect((await d.send("GET", `${API}/stats`)).body.control).toEqual(paused);
    const notReady = await d.send("GET", "/readyz");
    expect(notReady.body).toMatchObject({ ready: false, recommended_action: expect.stringContaining("resume") });
    expect((await d.send("POST", `${API}/resume`)).body).toMatchObject({ state: "running", control: { paused: false } });
    expect((await d.send("POST", `${API}/pause`, { body: { by: "" } })).status).toBe(400);
    expect((await d.send("POST", `${API}/resume`, { body: { who: "x" } })).status).toBe(400);
    const audit = await d.send("GET", `${API}/audit?limit=5&kind=crank.paused`);
    expect(audit.body.events).toEqual([expect.objectContaining({ kind: "crank.paused", data: expect.objectContaining({ by: "ops-team" }) })]);
    expect((await d.send("GET", `${API}/audit?limit=0`)).status).toBe(400);
  });

  it("an unexpected error is a documented 500", async () => {
    d.fx.registry.register({ name: "buggy", params: z.object({}).refine(() => { throw new TypeError("boom"); }) });
    expect((await d.send("POST", `${API}/ops`, { body: { action: "buggy", params: {} } })).status).toBe(500);
  });

  it("a closed store is a documented 503 on every store route; /readyz says why", async () => {
    await d.fx.store.close();
    for (const path of ["/stats", "/ops", "/ops/op_x", "/audit"]) expect((await d.send("GET", `${API}${path}`)).status).toBe(503);
    for (const path of ["/ops/op_x/cancel", "/ops/op_x/retry", "/ops/op_x/pause", "/ops/op_x/resume", "/pause", "/resume"]) {
      expect((await d.send("POST", `${API}${path}`)).status).toBe(503);
    }
    expect((await d.send("POST", `${API}/ops`, { body: { action: TEST_ACTION, params: { n: 1 } } })).status).toBe(503);
    expect((await d.send("POST", `${API}/ops/bulk`, { body: { action: "cancel", filter: {} } })).status).toBe(503);
    expect((await d.send("GET", "/readyz")).body.reasons[0]).toMatch(/^store unreachable/);
  });
});

describe("OpenAPI conformance: with a token and in safe mode", () => {
  let d: Driver;
  afterEach(async () => {
    await d.fx.close();
  });

  it("every route behind the token answers a documented 401 without it, and 2xx with it", async () => {
    d = await createDriver({ token: TOKEN });
    for (const [path, methods] of Object.entries(d.doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const concrete = path.replace("{id}", "op_x");
        const answer = await d.send(method.toUpperCase(), concrete);
        const open = (op as { security?: unknown[] }).security?.length === 0;
        expect(answer.status === 401, `${method} ${path}`).toBe(!open);
      }
    }
    expect((await d.send("GET", `${API}/stats`, { token: TOKEN })).status).toBe(200);
    expect((await d.send("GET", "/metrics", { token: TOKEN })).status).toBe(200);
  });

  it("store safe mode reported by the process: /readyz 503 NotReady", async () => {
    d = await createDriver({
      readiness: () => ({ ready: false, reasons: ["store safe mode: corrupt"], recommended_action: "courier restore FILE" }),
    });
    expect((await d.send("GET", "/readyz")).body).toEqual({ ready: false, reasons: ["store safe mode: corrupt"], recommended_action: "courier restore FILE" });
  });
});

describe("OpenAPI document and routes", () => {
  it("lists exactly the JSON routes the app registers (a new route without a documented answer fails here)", async () => {
    const fx = await createAdminFixture();
    try {
      const res = await fx.request("GET", "/admin/api/openapi.json");
      const doc = (await res.json()) as OpenApiDoc;
      const inDoc = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
      const registered = fx.app.routes
        .filter((r) => r.method !== "ALL" && (r.path.startsWith("/admin/api") || ["/healthz", "/readyz", "/metrics"].includes(r.path)))
        .map((r) => `${r.method} ${r.path.replace(/:([a-z_]+)/g, "{$1}")}`);
      expect(registered.length).toBeGreaterThan(10);
      expect([...new Set(registered)].sort()).toEqual([...inDoc].sort());
      const operationIds = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId));
      expect(new Set(operationIds).size).toBe(inDoc.length);
    } finally {
      await fx.close();
    }
  });
});

describe("OpenAPI conformance: coverage (runs last)", () => {
  it("drove every documented operation to a success, and saw every refusal class", () => {
  for (const op of documented) expect([...covered].some((c) => c.startsWith(`${op} 2`)), `${op} never answered 2xx`).toBe(true);
  const statuses = new Set([...covered].map((c) => Number(c.split(" ")[2])));
  for (const s of [200, 201, 400, 401, 403, 404, 409, 413, 415, 421, 500, 503]) expect(statuses.has(s), `status ${s}`).toBe(true);
  });
});
