import { describe, expect, it } from "vitest";
import { useAdminFixture, START, TEST_ACTION } from "../test/admin-fixture.js";

const API = "/admin/api/courier";

interface ErrorJSON {
  error: { code: string; message: string; details?: { field?: string; issues?: unknown[] } };
}

async function expectError(res: Response, status: number, code: string, field?: string): Promise<ErrorJSON> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/json");
  const body = (await res.json()) as ErrorJSON;
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe("string");
  if (field !== undefined) expect(body.error.details?.field).toBe(field);
  return body;
}

describe("admin app: validation (400) — each rule creates nothing", () => {
  const fx = useAdminFixture();

  const badBodies: Array<[string, unknown, string, string]> = [
    ["unknown action", { action: "nope", params: {} }, "COURIER__ACTION__UNKNOWN", "action"],
    ["bad params", { action: TEST_ACTION, params: { n: "one" } }, "COURIER__ACTION__INVALID_PARAMS", "params.n"],
    ["bad run_at", { action: TEST_ACTION, params: { n: 1 }, run_at: "tomorrow morning" }, "COURIER__VALIDATION", "run_at"],
    ["run_at without zone", { action: TEST_ACTION, params: { n: 1 }, run_at: "2026-03-01T09:00:00" }, "COURIER__VALIDATION", "run_at"],
    ["negative every_ms", { action: TEST_ACTION, params: { n: 1 }, every_ms: -5 }, "COURIER__VALIDATION", "every_ms"],
    ["bad cron", { action: TEST_ACTION, params: { n: 1 }, cron: "every day at nine" }, "COURIER__VALIDATION", "cron"],
    ["bad tz", { action: TEST_ACTION, params: { n: 1 }, cron: "0 9 * * *", tz: "Mars/Olympus" }, "COURIER__VALIDATION", "tz"],
    ["max_exec < 1", { action: TEST_ACTION, params: { n: 1 }, every_ms: 1000, max_exec: 0 }, "COURIER__VALIDATION", "max_exec"],
    ["max_attempts 0", { action: TEST_ACTION, params: { n: 1 }, max_attempts: 0 }, "COURIER__VALIDATION", "max_attempts"],
    ["bad misfire", { action: TEST_ACTION, params: { n: 1 }, misfire: "sometimes" }, "COURIER__VALIDATION", "misfire"],
    ["expires_at in the past", { action: TEST_ACTION, params: { n: 1 }, expires_at: START - 1 }, "COURIER__VALIDATION", "expires_at"],
    ["unknown key", { action: TEST_ACTION, params: { n: 1 }, colour: "red" }, "COURIER__VALIDATION", "colour"],
    ["missing action", { params: { n: 1 } }, "COURIER__VALIDATION", "action"],
    ["not an object", [1, 2, 3], "COURIER__VALIDATION", "body"],
    ["empty idempotency_key", { action: TEST_ACTION, params: { n: 1 }, idempotency_key: "" }, "COURIER__VALIDATION", "idempotency_key"],
  ];

  for (const [name, body, code, field] of badBodies) {
    it(`POST /ops: ${name} → 400 ${code} naming ${field}`, async () => {
      await expectError(await fx.request("POST", `${API}/ops`, { body }), 400, code, field);
      expect(await fx.countOps()).toBe(0);
    });
  }

  it("POST /ops: unknown params key → 400 naming params and the key", async () => {
    const res = await fx.request("POST", `${API}/ops`, { body: { action: TEST_ACTION, params: { n: 1, extra: true } } });
    const body = await expectError(res, 400, "COURIER__ACTION__INVALID_PARAMS");
    expect(body.error.details?.field).toMatch(/^params/);
    expect(body.error.message).toContain("extra");
    expect(await fx.countOps()).toBe(0);
  });

  it("POST /ops: invalid JSON and an empty JSON body → 400 naming the body", async () => {
    const headers = { "content-type": "application/json" };
    await expectError(await fx.request("POST", `${API}/ops`, { raw: "{not json", headers }), 400, "COURIER__VALIDATION", "body");
    await expectError(await fx.request("POST", `${API}/ops`, { raw: "", headers }), 400, "COURIER__VALIDATION", "body");
    expect(await fx.countOps()).toBe(0);
  });

  const badQueries: Array<[string, string, string]> = [
    ["/stats?ticks=0", "COURIER__VALIDATION", "ticks"],
    ["/stats?ticks=501", "COURIER__VALIDATION", "ticks"],
    ["/stats?ticks=abc", "COURIER__VALIDATION", "ticks"],
    ["/stats?tick=5", "COURIER__VALIDATION", "tick"],
    ["/ops?status=sleeping", "COURIER__VALIDATION", "status"],
    ["/ops?limit=0", "COURIER__VALIDATION", "limit"],
    ["/ops?limit=-1", "COURIER__VALIDATION", "limit"],
    ["/ops?limit=1.5", "COURIER__VALIDATION", "limit"],
    ["/ops?limit=100000", "COURIER__VALIDATION", "limit"],
    ["/ops?limit=2&limit=3", "COURIER__VALIDATION", "limit"],
    ["/ops?cursor=%21%21garbage", "COURIER__VALIDATION", "cursor"],
    ["/ops?cursor=eyJ4IjoxfQ", "COURIER__VALIDATION", "cursor"],
    ["/ops?stauts=pending", "COURIER__VALIDATION", "stauts"],
    ["/audit?limit=0", "COURIER__VALIDATION", "limit"],
  ];
  for (const [path, code, field] of badQueries) {
    it(`GET ${path} → 400 naming ${field}`, async () => {
      await expectError(await fx.request("GET", `${API}${path}`), 400, code, field);
    });
  }

  it("POST /pause with an unknown field → 400; cancel with a non-empty object → 400", async () => {
    await expectError(await fx.request("POST", `${API}/pause`, { body: { by: "me", why: "x" } }), 400, "COURIER__VALIDATION", "why");
    expect((await fx.store.getControl()).paused).toBe(false);
    const op = (await (await fx.request("POST", `${API}/ops`, { body: { action: TEST_ACTION, params: { n: 1 } } })).json()) as { id: string };
    await expectError(await fx.request("POST", `${API}/ops/${op.id}/cancel`, { body: { force: true } }), 400, "COURIER__VALIDATION", "force");
    expect((await fx.store.getOp(op.id))?.status).toBe("pending");
  });
});

describe("admin app: 404, 409, 413, 415", () => {
  const fx = useAdminFixture({ deps: { bodyLimitBytes: 1024 } });

  it("unknown op → 404 on show, cancel and retry", async () => {
    await expectError(await fx.request("GET", `${API}/ops/op_missing`), 404, "COURIER__NOT_FOUND");
    await expectError(await fx.request("POST", `${API}/ops/op_missing/cancel`), 404, "COURIER__NOT_FOUND");
    await expectError(await fx.request("POST", `${API}/ops/op_missing/retry`), 404, "COURIER__NOT_FOUND");
    await expectError(await fx.request("GET", `${API}/ops/${"x".repeat(5000)}`), 404, "COURIER__NOT_FOUND");
  });

  it("unknown route → 404 JSON", async () => {
    await expectError(await fx.request("GET", "/nope"), 404, "COURIER__NOT_FOUND");
    await expectError(await fx.request("DELETE", `${API}/ops`), 404, "COURIER__NOT_FOUND");
  });

  it("cancel of a terminal op → 409 with its status; retry of a pending op → 409", async () => {
    const create = await fx.request("POST", `${API}/ops`, { body: { action: TEST_ACTION, params: { n: 1 } } });
    const { id } = (await create.json()) as { id: string };
    const conflictRetry = await expectError(await fx.request("POST", `${API}/ops/${id}/retry`), 409, "COURIER__CONFLICT");
    expect(conflictRetry.error.details).toMatchObject({ status: "pending" });

    await fx.finishOp(id, "succeeded");
    const conflict = await expectError(await fx.request("POST", `${API}/ops/${id}/cancel`), 409, "COURIER__CONFLICT");
    expect(conflict.error.details).toMatchObject({ status: "succeeded" });
    expect((await fx.store.getOp(id))?.status).toBe("succeeded");

    const other = (await (await fx.request("POST", `${API}/ops`, { body: { action: TEST_ACTION, params: { n: 1 } } })).json()) as { id: string };
    expect((await fx.request("POST", `${API}/ops/${other.id}/cancel`)).status).toBe(200);
    await expectError(await fx.request("POST", `${API}/ops/${other.id}/cancel`), 409, "COURIER__CONFLICT");
  });

  it("a body over the limit → 413 and nothing is created (with and without Content-Length)", async () => {
    const big = { action: TEST_ACTION, params: { n: 1 }, idempotency_key: "k".repeat(2000) };
    await expectError(await fx.request("POST", `${API}/ops`, { body: big }), 413, "COURIER__HTTP__PAYLOAD_TOO_LARGE");
    const streamed = new Request(`http://127.0.0.1${API}/ops`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode(" ".repeat(512)));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    await expectError(await fx.app.fetch(streamed), 413, "COURIER__HTTP__PAYLOAD_TOO_LARGE");
    expect(await fx.countOps()).toBe(0);
  });

  it("a non-JSON body → 415; an empty body on pause/resume/cancel/retry is fine", async () => {
    const body = JSON.stringify({ action: TEST_ACTION, params: { n: 1 } });
    await expectError(await fx.request("POST", `${API}/ops`, { raw: body, headers: { "content-type": "text/plain" } }), 415, "COURIER__HTTP__UNSUPPORTED_MEDIA_TYPE");
    await expectError(await fx.request("POST", `${API}/ops`, { raw: body }), 415, "COURIER__HTTP__UNSUPPORTED_MEDIA_TYPE");
    await expectError(
      await fx.request("POST", `${API}/ops`, { raw: "a=1", headers: { "content-type": "application/x-www-form-urlencoded" } }),
      415,
      "COURIER__HTTP__UNSUPPORTED_MEDIA_TYPE",
    );
    await expectError(await fx.request("POST", `${API}/pause`, { raw: "by=me", headers: { "content-type": "text/plain" } }), 415, "COURIER__HTTP__UNSUPPORTED_MEDIA_TYPE");
    expect(await fx.countOps()).toBe(0);
    expect((await fx.request("POST", `${API}/pause`)).status).toBe(200);
    expect((await fx.request("POST", `${API}/resume`, { headers: { "content-type": "application/json; charset=utf-8" }, raw: "" })).status).toBe(200);
    const ok = await fx.request("POST", `${API}/ops`, { raw: body, headers: { "content-type": "application/json; charset=utf-8" } });
    expect(ok.status).toBe(201);
  });
});

describe("admin app: bearer token", () => {
  const token = "s3cret-token-value";
  const fx = useAdminFixture({ deps: { token } });

  it("401 without a token or with a wrong one on /admin/* and /metrics; the token is never echoed", async () => {
    for (const [method, path] of [
      ["GET", `${API}/stats`],
      ["GET", `${API}/ops`],
      ["POST", `${API}/pause`],
      ["GET", "/metrics"],
      ["GET", "/admin/api/openapi.json"],
      ["GET", `${API}/no-such-route`],
    ] as const) {
      await expectError(await fx.request(method, path), 401, "COURIER__HTTP__UNAUTHORIZED");
      const wrong = await fx.request(method, path, { token: "s3cret-token-valuX" });
      const text = await wrong.clone().text();
      expect(text).not.toContain(token);
      await expectError(wrong, 401, "COURIER__HTTP__UNAUTHORIZED");
      await expectError(await fx.request(method, path, { token: `${token}x` }), 401, "COURIER__HTTP__UNAUTHORIZED");
      await expectError(await fx.request(method, path, { headers: { authorization: `Basic ${token}` } }), 401, "COURIER__HTTP__UNAUTHORIZED");
    }
    expect((await fx.store.getControl()).paused).toBe(false);
  });

  it("an unauthenticated POST creates nothing, even a valid one", async () => {
    const res = await fx.request("POST", `${API}/ops`, { body: { action: TEST_ACTION, params: { n: 1 } } });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
    expect(await fx.countOps()).toBe(0);
  });

  it("the right token is accepted; /healthz and /readyz stay open", async () => {
    expect((await fx.request("GET", `${API}/stats`, { token })).status).toBe(200);
    expect((await fx.request("GET", "/metrics", { token })).status).toBe(200);
    expect((await fx.request("POST", `${API}/ops`, { token, body: { action: TEST_ACTION, params: { n: 1 } } })).status).toBe(201);
    expect((await fx.request("GET", "/healthz")).status).toBe(200);
    expect((await fx.request("GET", "/readyz")).status).toBe(200);
  });
});
