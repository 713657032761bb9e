import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock.js";
import { CourierError } from "../errors.js";
import { buildNewOp } from "./schedule-input.js";
import { createTestRegistry } from "./test-registry.js";

const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);
const TO = "9".repeat(40);

function makeDeps() {
  let n = 0;
  return { registry: createTestRegistry(), clock: new ManualClock(NOW), newId: () => `op_test_${++n}` };
}

function build(input: unknown) {
  return buildNewOp(input, makeDeps());
}

function rejection(input: unknown): CourierError {
  try {
    build(input);
  } catch (e) {
    if (e instanceof CourierError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

const transfer = { action: "sol.transfer", params: { to: TO, lamports: 1000 } };

describe("buildNewOp: normalisation", () => {
  it("makes a one-off due now with defaults", () => {
    expect(build(transfer)).toEqual({
      id: "op_test_1",
      action: "sol.transfer",
      params: { to: TO, lamports: 1000 },
      schedule: { kind: "once" },
      next_exec: NOW,
      created_at: NOW,
      max_exec: null,
      max_attempts: 5,
      expires_at: null,
      idempotency_key: null,
      misfire: "skip",
      missed_window_ms: null,
    });
  });

  it("defaults params to {} and keeps the parsed params", () => {
    expect(build({ action: "noop" }).params).toEqual({});
  });

  it("takes run_at as ISO-8601 with a zone or as epoch ms", () => {
    expect(build({ ...transfer, run_at: "2026-03-02T09:00:00Z" }).next_exec).toBe(Date.UTC(2026, 2, 2, 9));
    expect(build({ ...transfer, run_at: "2026-03-02T10:00:00+01:00" }).next_exec).toBe(Date.UTC(2026, 2, 2, 9));
    expect(build({ ...transfer, run_at: NOW + 5 }).next_exec).toBe(NOW + 5);
  });

  it("delays a one-off by delay_ms", () => {
    expect(build({ ...transfer, delay_ms: 30_000 }).next_exec).toBe(NOW + 30_000);
  });

  it("anchors an interval at now and runs it at once unless delayed", () => {
    const now = build({ ...transfer, every_ms: 60_000 });
    expect(now.schedule).toEqual({ kind: "every", every_ms: 60_000, anchor: NOW });
    expect(now.next_exec).toBe(NOW);
    expect(now.missed_window_ms).toBe(60_000);

    const delayed = build({ ...transfer, every_ms: 3_600_000, delay_ms: 10_000 });
    expect(delayed.schedule).toEqual({ kind: "every", every_ms: 3_600_000, anchor: NOW + 10_000 });
    expect(delayed.next_exec).toBe(NOW + 10_000);
    // The default missed window is the interval, capped at 60 s.
    expect(delayed.missed_window_ms).toBe(60_000);

    const at = build({ ...transfer, every_ms: 1_000, run_at: NOW + 500 });
    expect(at.schedule).toEqual({ kind: "every", every_ms: 1_000, anchor: NOW + 500 });
    expect(at.missed_window_ms).toBe(1_000);
  });

  it("runs a cron op at its first slot, in UTC unless tz is given", () => {
    const utc = build({ ...transfer, cron: "0 9 * * *" });
    expect(utc.schedule).toEqual({ kind: "cron", cron: "0 9 * * *", tz: "UTC" });
    expect(utc.next_exec).toBe(Date.UTC(2026, 2, 2, 9));
    expect(utc.missed_window_ms).toBe(60_000);

    const ny = build({ ...transfer, cron: "0 9 * * *", tz: "America/New_York" });
    // NOW is 07:00 EST: 09:00 EST the same day is 14:00Z
    expect(ny.next_exec).toBe(Date.UTC(2026, 2, 1, 14));
  });

  it("counts a cron slot equal to now as the first run, and treats run_at as 'not before'", () => {
    expect(build({ ...transfer, cron: "0 12 * * *" }).next_exec).toBe(NOW);
    const later = build({ ...transfer, cron: "0 12 * * *", run_at: NOW + 1 });
    expect(later.next_exec).toBe(NOW + 86_400_000);
  });

  it("carries the remaining options through", () => {
    const op = build({
      ...transfer,
      every_ms: 1_000,
      max_exec: 3,
      expires_at: "2026-03-05T00:00:00Z",
      max_attempts: 9,
      misfire: "all",
      missed_window_ms: 5_000,
      idempotency_key: "k-1",
    });
    expect(op).toMatchObject({
      max_exec: 3,
      expires_at: Date.UTC(2026, 2, 5),
      max_attempts: 9,
      misfire: "all",
      missed_window_ms: 5_000,
      idempotency_key: "k-1",
    });
  });
});

describe("buildNewOp: rejections name the field (issue 2 acceptance)", () => {
  it.each<[string, unknown, string, string]>([
    ["unknown action", { action: "sol.transfr", params: {} }, "COURIER__ACTION__UNKNOWN", "action"],
    ["params failing the schema", { action: "sol.transfer", params: { to: TO, lamports: -1 } }, "COURIER__ACTION__INVALID_PARAMS", "params.lamports"],
    ["missing params", { action: "sol.transfer" }, "COURIER__ACTION__INVALID_PARAMS", "params.to"],
    ["unparseable run_at", { ...transfer, run_at: "next tuesday" }, "COURIER__VALIDATION", "run_at"],
    ["zone-less run_at", { ...transfer, run_at: "2026-03-02T09:00:00" }, "COURIER__VALIDATION", "run_at"],
    ["fractional run_at", { ...transfer, run_at: 1.5 }, "COURIER__VALIDATION", "run_at"],
    ["negative every_ms", { ...transfer, every_ms: -5 }, "COURIER__VALIDATION", "every_ms"],
    ["every_ms below the minimum", { ...transfer, every_ms: 10 }, "COURIER__VALIDATION", "every_ms"],
    ["every_ms as a string", { ...transfer, every_ms: "1000" }, "COURIER__VALIDATION", "every_ms"],
    ["bad cron", { ...transfer, cron: "61 * * * *" }, "COURIER__VALIDATION", "cron"],
    ["cron of the wrong shape", { ...transfer, cron: "every day" }, "COURIER__VALIDATION", "cron"],
    ["an ISO date as cron", { ...transfer, cron: "2026-03-02T09:00:00" }, "COURIER__VALIDATION", "cron"],
    ["a cron that never fires", { ...transfer, cron: "0 0 30 2 *" }, "COURIER__VALIDATION", "cron"],
    ["unknown tz", { ...transfer, cron: "0 9 * * *", tz: "Mars/Olympus" }, "COURIER__VALIDATION", "tz"],
    ["tz without cron", { ...transfer, tz: "UTC" }, "COURIER__VALIDATION", "tz"],
    ["max_exec < 1", { ...transfer, every_ms: 1000, max_exec: 0 }, "COURIER__VALIDATION", "max_exec"],
    ["max_attempts > 100", { ...transfer, max_attempts: 101 }, "COURIER__VALIDATION", "max_attempts"],
    ["bad misfire", { ...transfer, misfire: "later" }, "COURIER__VALIDATION", "misfire"],
    ["empty idempotency_key", { ...transfer, idempotency_key: "" }, "COURIER__VALIDATION", "idempotency_key"],
    ["unknown key", { ...transfer, run_ad: "2026-03-02T09:00:00Z" }, "COURIER__VALIDATION", "run_ad"],
    ["both every_ms and cron", { ...transfer, every_ms: 1000, cron: "* * * * *" }, "COURIER__VALIDATION", "cron"],
    ["both run_at and delay_ms", { ...transfer, run_at: NOW, delay_ms: 5 }, "COURIER__VALIDATION", "delay_ms"],
    ["negative delay_ms", { ...transfer, delay_ms: -1 }, "COURIER__VALIDATION", "delay_ms"],
    ["expires_at in the past", { ...transfer, expires_at: NOW - 1 }, "COURIER__VALIDATION", "expires_at"],
    ["expires_at before the first run", { ...transfer, delay_ms: 60_000, expires_at: NOW + 1_000 }, "COURIER__VALIDATION", "expires_at"],
    ["missing action", { params: {} }, "COURIER__VALIDATION", "action"],
    ["a body that is not an object", "sol.transfer", "COURIER__VALIDATION", "body"],
  ])("%s", (_name, input, code, field) => {
    const err = rejection(input);
    expect(err.code).toBe(code);
    expect(err.context.field).toBe(field);
    expect(err.message.startsWith(`${field}:`)).toBe(true);
    expect(Array.isArray(err.context.issues)).toBe(true);
  });

  it("says what is wrong with every_ms", () => {
    expect(rejection({ ...transfer, every_ms: -5 }).message).toBe("every_ms: must be a positive integer");
  });

  it("checks the body before the action's params", () => {
    expect(rejection({ action: "nope", every_ms: -1 }).context.field).toBe("every_ms");
  });
});

describe("buildNewOp: property", () => {
  const value = fc.oneof(
    fc.constant(undefined),
    fc.integer({ min: -1e13, max: 1e13 }),
    fc.double(),
    fc.string(),
    fc.constantFrom("0 9 * * *", "*/5 * * * * *", "@daily", "61 * * * *", "2026-03-02T09:00:00Z", "UTC", "Europe/Paris", "skip", "all"),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.integer(), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
  );
  const body = fc.record(
    {
      action: fc.oneof(fc.constantFrom("sol.transfer", "memo", "noop", "x"), fc.string()),
      params: fc.oneof(value, fc.record({ to: fc.oneof(fc.constant(TO), fc.string()), lamports: value })),
      run_at: value,
      delay_ms: value,
      every_ms: value,
      cron: value,
      tz: value,
      max_exec: value,
      expires_at: value,
      max_attempts: value,
      misfire: value,
      missed_window_ms: value,
      idempotency_key: value,
      extra: value,
    },
    { requiredKeys: [] },
  );

  it("never throws anything but a CourierError, and what it accepts is well-formed", () => {
    fc.assert(
      fc.property(fc.oneof(body, fc.anything()), (input) => {
        try {
          const op = build(input);
          expect(Number.isSafeInteger(op.next_exec)).toBe(true);
          expect(op.max_attempts).toBeGreaterThanOrEqual(1);
          if (op.expires_at !== null) expect(op.expires_at).toBeGreaterThan(op.next_exec);
        } catch (e) {
          if (!(e instanceof CourierError)) throw e;
          expect(typeof e.context.field).toBe("string");
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it("accepts every well-formed body, first run never before now unless run_at says so", () => {
    const schedule = fc.oneof(
      fc.record({ every_ms: fc.integer({ min: 100, max: 86_400_000 }) }),
      fc.record({
        cron: fc.constantFrom("* * * * *", "0 9 * * *", "*/10 * * * * *", "@hourly", "30 2 * * 1-5"),
        tz: fc.constantFrom("UTC", "America/New_York", "Europe/Paris", "Asia/Kolkata"),
      }),
      fc.constant({}),
    );
    const start = fc.oneof(fc.constant({}), fc.record({ delay_ms: fc.integer({ min: 0, max: 10 * 86_400_000 }) }));
    fc.assert(
      fc.property(schedule, start, fc.integer({ min: 1, max: 100 }), (sched, when, maxAttempts) => {
        const op = build({ ...transfer, ...sched, ...when, max_attempts: maxAttempts });
        expect(op.next_exec).toBeGreaterThanOrEqual(NOW + ("delay_ms" in when ? when.delay_ms : 0));
        expect(op.max_attempts).toBe(maxAttempts);
        expect(op.schedule.kind).toBe("every_ms" in sched ? "every" : "cron" in sched ? "cron" : "once");
      }),
      { numRuns: 300 },
    );
  });
});
