/**
 * Fuzzing the two endpoints that take the most input: random and malformed bodies to
 * POST /ops, random query strings to GET /ops. Never a 5xx; a refused request creates nothing;
 * an accepted one creates exactly one op (or none for a repeated idempotency_key).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TEST_TIMEOUTS } from "@courier/testing";
import { useAdminFixture, START, TEST_ACTION } from "../test/admin-fixture.js";

const API = "/admin/api/courier";

const anyTime = fc.oneof(
  fc.integer({ min: -1e15, max: 1e16 }),
  fc.integer({ min: START - 86_400_000, max: START + 86_400_000 }),
  fc.integer({ min: START - 86_400_000, max: START + 86_400_000 }).map((t) => new Date(t).toISOString()),
  fc.constantFrom("2026-03-01", "2026-03-01T09:00:00", "2026-13-45T99:00:00Z", "tomorrow", "", "+275760-09-13T00:00:00Z"),
  fc.double(),
  fc.string(),
);
const anyInt = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.integer(), fc.double(), fc.constantFrom(100, 1000, 60_000, 1e300), fc.string());

const createBody = fc.record(
  {
    action: fc.oneof(fc.constant(TEST_ACTION), fc.constant(TEST_ACTION), fc.string(), fc.integer(), fc.constant(null)),
    params: fc.oneof(fc.record({ n: fc.oneof(fc.integer({ min: 1, max: 1000 }), anyInt) }), fc.jsonValue()),
    run_at: anyTime,
    delay_ms: anyInt,
    every_ms: anyInt,
    cron: fc.oneof(fc.constantFrom("*/5 * * * *", "0 9 * * 1-5", "@daily", "61 * * * *", "* * *", "2026-01-01T00:00:00Z"), fc.string()),
    tz: fc.oneof(fc.constantFrom("UTC", "Europe/Paris", "America/New_York", "Mars/Olympus"), fc.string()),
    max_exec: anyInt,
    expires_at: anyTime,
    max_attempts: anyInt,
    misfire: fc.oneof(fc.constantFrom("skip", "once", "all"), fc.string()),
    missed_window_ms: anyInt,
    on_failure: fc.oneof(fc.constantFrom("continue", "stop"), fc.string()),
    allow_past: fc.oneof(fc.boolean(), anyInt),
    idempotency_key: fc.oneof(fc.constantFrom("k1", "k2", "k3"), fc.string({ maxLength: 300 })),
    x_unknown: fc.jsonValue(),
    ["__proto__"]: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

/** Valid bodies, so accepted and idempotent paths are fuzzed too. */
const validBody = fc.record(
  {
    action: fc.constant(TEST_ACTION),
    // Few distinct params and intervals: a reused key then often carries the same body (200).
    params: fc.record({ n: fc.integer({ min: 1, max: 2 }) }),
    delay_ms: fc.nat({ max: 86_400_000 }),
    every_ms: fc.constantFrom(100, 60_000),
    max_attempts: fc.integer({ min: 1, max: 100 }),
    misfire: fc.constantFrom("skip", "once", "all"),
    idempotency_key: fc.constantFrom("k1", "k2", "k3", "k4", "k5"),
  },
  { requiredKeys: ["action", "params"] },
);

/** A valid body with one field replaced by anything: the rules are tested one at a time. */
const mutatedBody = fc.tuple(validBody, createBody).map(([valid, random]) => {
  const keys = Object.keys(random);
  const key = keys[0];
  return key === undefined ? valid : { ...valid, [key]: (random as Record<string, unknown>)[key] };
});

type Payload = { raw: string; contentType: string | null };

const payload: fc.Arbitrary<Payload> = fc.oneof(
  { weight: 3, arbitrary: createBody.map((b) => ({ raw: JSON.stringify(b), contentType: "application/json" })) },
  { weight: 2, arbitrary: validBody.map((b) => ({ raw: JSON.stringify(b), contentType: "application/json" })) },
  { weight: 3, arbitrary: mutatedBody.map((b) => ({ raw: JSON.stringify(b), contentType: "application/json" })) },
  { weight: 2, arbitrary: fc.jsonValue().map((v) => ({ raw: JSON.stringify(v), contentType: "application/json" })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((s) => ({ raw: s, contentType: "application/json" })) },
  {
    weight: 1,
    arbitrary: fc.tuple(createBody, fc.constantFrom(null, "text/plain", "application/jsonx", "multipart/form-data", "application/json;charset=utf-8")).map(
      ([b, contentType]) => ({ raw: JSON.stringify(b), contentType }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(createBody, fc.nat({ max: 60 })).map(([b, cut]) => ({
      raw: JSON.stringify(b).slice(0, cut),
      contentType: "application/json",
    })),
  },
);

const queryValue = fc.oneof(
  fc.constantFrom("pending", "running", "succeeded", "failed", "dead", "cancelled", "expired", "PENDING", "", "1", "50", "500", "501", "-1", "1e3", "0x10"),
  fc.string({ maxLength: 40 }),
  fc.integer().map(String),
  fc.base64String({ maxLength: 40 }),
);
const queryString = fc.oneof(
  fc
    .array(fc.tuple(fc.constantFrom("status", "action", "limit", "cursor", "x", "", "limit[]", "__proto__"), queryValue), { maxLength: 5 })
    .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&")),
  fc.string({ maxLength: 80 }),
  fc.string({ maxLength: 80 }).map((s) => s.replace(/[^A-Za-z0-9=&%._~-]/g, "%")),
);

describe("admin app: fuzz", { timeout: TEST_TIMEOUTS.fuzz }, () => {
  const fx = useAdminFixture({ scope: "all" });

  it("POST /ops with ≥ 1,400 random or malformed bodies: never a 5xx; refused requests create nothing", async () => {
    const stats = { created: 0, replayed: 0, refused: 0, conflicts: 0 };
    await fc.assert(
      fc.asyncProperty(payload, async ({ raw, contentType }) => {
        const before = await fx.countOps();
        const headers: Record<string, string> = contentType ? { "content-type": contentType } : {};
        const res = await fx.request("POST", `${API}/ops`, { raw, headers });
        const after = await fx.countOps();
        expect(res.status).toBeLessThan(500);
        const body = (await res.json()) as { error?: { code: string; message: string }; id?: string };
        if (res.status === 201) {
          stats.created++;
          expect(after).toBe(before + 1);
          expect(body.id).toMatch(/^op_/);
        } else if (res.status === 200) {
          stats.replayed++;
          expect(after).toBe(before);
          expect(body.id).toMatch(/^op_/);
        } else if (res.status === 409) {
          // A reused idempotency_key with a different body: refused by name, nothing created.
          stats.conflicts++;
          expect(body.error?.code).toBe("COURIER__OP__IDEMPOTENCY_CONFLICT");
          expect(after).toBe(before);
        } else {
          stats.refused++;
          expect([400, 415]).toContain(res.status);
          expect(after).toBe(before);
          expect(typeof body.error?.code).toBe("string");
          expect(typeof body.error?.message).toBe("string");
        }
      }),
      { numRuns: 1400 },
    );
    // the generator must reach every branch, or the property proves little
    expect(stats.created).toBeGreaterThan(0);
    expect(stats.replayed).toBeGreaterThan(0);
    expect(stats.refused).toBeGreaterThan(300);
    expect(stats.conflicts).toBeGreaterThan(0);
  });

  it("GET /ops with ≥ 600 random query strings: never a 5xx, always JSON, creates nothing", async () => {
    const before = await fx.countOps();
    let ok = 0;
    await fc.assert(
      fc.asyncProperty(queryString, async (qs) => {
        let req: Request;
        try {
          req = new Request(`http://127.0.0.1${API}/ops?${qs}`);
        } catch {
          return; // not a URL a client could send
        }
        const res = await fx.app.fetch(req);
        expect(res.status).toBeLessThan(500);
        const body = (await res.json()) as { ops?: unknown[]; error?: { code: string } };
        if (res.status === 200) {
          ok++;
          expect(Array.isArray(body.ops)).toBe(true);
        } else {
          expect(res.status).toBe(400);
          expect(body.error?.code).toBe("COURIER__VALIDATION");
        }
      }),
      { numRuns: 600 },
    );
    expect(ok).toBeGreaterThan(0);
    expect(await fx.countOps()).toBe(before);
  });
});
