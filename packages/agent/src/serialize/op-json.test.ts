import { describe, expect, it } from "vitest";
import type { AttemptRecord, Op } from "../types.js";
import { attemptToJSON, getRunsJSON, opToJSON, scheduleToJSON, toIso } from "./op-json.js";

const T = Date.UTC(2026, 2, 1, 12, 0, 0, 250);

function makeOp(overrides: Partial<Op> = {}): Op {
  return {
    id: "op_1",
    action: "sol.transfer",
    params: { to: "x", lamports: 1 },
    status: "running",
    schedule: { kind: "every", every_ms: 60_000, anchor: T },
    next_exec: T + 60_000,
    due_at: T + 60_000,
    created_at: T,
    updated_at: T + 1,
    run: 2,
    exec_count: 1,
    max_exec: null,
    attempts: 1,
    max_attempts: 5,
    last_error: null,
    expires_at: null,
    idempotency_key: "k",
    misfire: "skip",
    missed_window_ms: 60_000,
    on_failure: "continue",
    after_run: null,
    attempt_base: 0,
    ledger_floor: 0,
    lease_owner: "host-1",
    lease_until: T + 30_000,
    ...overrides,
  };
}

function makeAttempt(run: number, attempt: number): AttemptRecord {
  return {
    op_id: "op_1",
    run,
    attempt,
    instance: "host-1",
    action: "sol.transfer",
    started_at: T + run * 1000 + attempt,
    ended_at: T + run * 1000 + attempt + 5,
    outcome: attempt === 1 ? "retryable" : "ok",
    error_code: attempt === 1 ? "COURIER__RPC__TIMEOUT" : null,
    error: attempt === 1 ? "timeout" : null,
    signature: attempt === 1 ? null : "sig",
    latency_ms: 5,
  };
}

describe("opToJSON", () => {
  it("renders every time as ISO-8601 and keeps the contract fields", () => {
    const json = opToJSON(makeOp());
    expect(json).toMatchObject({
      id: "op_1",
      status: "running",
      schedule: { kind: "every", every_ms: 60_000, anchor: "2026-03-01T12:00:00.250Z" },
      next_exec: "2026-03-01T12:01:00.250Z",
      due_at: "2026-03-01T12:01:00.250Z",
      created_at: "2026-03-01T12:00:00.250Z",
      updated_at: "2026-03-01T12:00:00.251Z",
      expires_at: null,
      lease_until: "2026-03-01T12:00:30.250Z",
      lease_owner: "host-1",
      run: 2,
      misfire: "skip",
    });
    for (const key of [
      "id", "action", "params", "status", "next_exec", "created_at", "updated_at", "exec_count", "max_exec",
      "attempts", "max_attempts", "last_error", "schedule", "expires_at", "idempotency_key",
    ]) {
      expect(json).toHaveProperty(key);
    }
    // survives a JSON round trip unchanged (nothing but plain data)
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it("renders null leases and set expiries", () => {
    const json = opToJSON(makeOp({ status: "pending", lease_owner: null, lease_until: null, expires_at: T + 5 }));
    expect(json.lease_until).toBeNull();
    expect(json.expires_at).toBe("2026-03-01T12:00:00.255Z");
  });

  it("renders each schedule kind", () => {
    expect(scheduleToJSON({ kind: "once" })).toEqual({ kind: "once" });
    expect(scheduleToJSON({ kind: "cron", cron: "0 9 * * *", tz: "Europe/Paris" })).toEqual({
      kind: "cron",
      cron: "0 9 * * *",
      tz: "Europe/Paris",
    });
  });
});

describe("attempts", () => {
  it("renders one attempt with ISO times", () => {
    expect(attemptToJSON(makeAttempt(1, 2))).toEqual({
      op_id: "op_1",
      run: 1,
      attempt: 2,
      instance: "host-1",
      action: "sol.transfer",
      started_at: "2026-03-01T12:00:01.252Z",
      ended_at: "2026-03-01T12:00:01.257Z",
      outcome: "ok",
      error_code: null,
      error: null,
      signature: "sig",
      latency_ms: 5,
    });
  });

  it("groups attempts by run in order", () => {
    const runs = getRunsJSON([makeAttempt(2, 1), makeAttempt(1, 2), makeAttempt(1, 1)]);
    expect(runs.map((r) => [r.run, r.attempts.map((a) => a.attempt)])).toEqual([
      [1, [1, 2]],
      [2, [1]],
    ]);
    expect(getRunsJSON([])).toEqual([]);
  });

  it("toIso passes null through", () => {
    expect(toIso(null)).toBeNull();
    expect(toIso(0)).toBe("1970-01-01T00:00:00.000Z");
  });
});
