import { describe, expect, it } from "vitest";
import { CourierError } from "../src/errors.js";
import { DEFAULT_LIFECYCLE, type LifecycleConfig, decideAfterResult, decideAtClaim } from "../src/crank/index.js";
import type { Op } from "../src/types.js";

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;
const config: LifecycleConfig = { ...DEFAULT_LIFECYCLE, backoff: { baseMs: 1000, maxMs: 60_000, jitter: 0 }, random: () => 0 };

function makeOp(over: Partial<Op> = {}): Op {
  return {
    id: "op_1",
    action: "test.op",
    params: {},
    status: "running",
    schedule: { kind: "every", every_ms: 5 * MIN, anchor: T0 },
    next_exec: T0,
    due_at: T0,
    created_at: T0,
    updated_at: T0,
    run: 1,
    exec_count: 0,
    max_exec: null,
    attempts: 1,
    max_attempts: 3,
    last_error: null,
    expires_at: null,
    idempotency_key: null,
    misfire: "skip",
    missed_window_ms: MIN,
    on_failure: "continue",
    after_run: null,
    attempt_base: 0,
    ledger_floor: 0,
    lease_owner: "i1",
    lease_until: T0 + 30_000,
    ...over,
  };
}

const err = (code: "COURIER__RPC__TIMEOUT" | "COURIER__OP__INSUFFICIENT_FUNDS") => new CourierError(code, "boom");

describe("decideAfterResult", () => {
  it("a refused intent ends even a recurring op failed (its next run would be refused too)", () => {
    const error = new CourierError("COURIER__OP__INTENT_INVALID", "the op differs from what its owner signed");
    expect(decideAfterResult({ op: makeOp({ exec_count: 4 }), outcome: "permanent", error, now: T0, config })).toEqual({
      kind: "finish",
      status: "failed",
      exec_count: 4,
      last_error: "COURIER__OP__INTENT_INVALID: the op differs from what its owner signed",
    });
  });

  it("ok moves a recurring op to the next slot anchored to the schedule", () => {
    const d = decideAfterResult({ op: makeOp({ attempts: 2 }), outcome: "ok", error: null, now: T0 + 7_000, config });
    expect(d).toEqual({ kind: "reschedule", next_exec: T0 + 5 * MIN, due_at: T0 + 5 * MIN, run: 2, exec_count: 1, attempts: 0, last_error: null });
  });

  it("ok finishes a one-off and the last of max_exec succeeded, and a schedule cut by expires_at expired", () => {
    const once = decideAfterResult({ op: makeOp({ schedule: { kind: "once" } }), outcome: "ok", error: null, now: T0, config });
    expect(once).toMatchObject({ kind: "finish", status: "succeeded", exec_count: 1 });
    const capped = decideAfterResult({ op: makeOp({ max_exec: 3, exec_count: 2 }), outcome: "ok", error: null, now: T0, config });
    expect(capped).toMatchObject({ kind: "finish", status: "succeeded", exec_count: 3 });
    const expiring = decideAfterResult({ op: makeOp({ expires_at: T0 + 4 * MIN }), outcome: "ok", error: null, now: T0, config });
    expect(expiring).toMatchObject({ kind: "finish", status: "expired", exec_count: 1 });
  });

  it("retryable reschedules the same run with backoff until max_attempts, then dead", () => {
    const op = makeOp({ attempts: 2, due_at: T0, next_exec: T0 + 1000 });
    const d = decideAfterResult({ op, outcome: "retryable", error: err("COURIER__RPC__TIMEOUT"), now: T0 + 5000, config });
    expect(d).toEqual({ kind: "reschedule", next_exec: T0 + 5000 + 2000, due_at: T0, run: 1, exec_count: 0, attempts: 2, last_error: "COURIER__RPC__TIMEOUT: boom" });
    const dead = decideAfterResult({ op: makeOp({ attempts: 3, on_failure: "stop" }), outcome: "retryable", error: err("COURIER__RPC__TIMEOUT"), now: T0, config });
    expect(dead).toMatchObject({ kind: "finish", status: "dead" });
  });

  it("permanent fails at once; infra and ambiguous release without a transition", () => {
    expect(decideAfterResult({ op: makeOp({ on_failure: "stop" }), outcome: "permanent", error: err("COURIER__OP__INSUFFICIENT_FUNDS"), now: T0, config })).toMatchObject({
      kind: "finish",
      status: "failed",
    });
    expect(decideAfterResult({ op: makeOp(), outcome: "infra", error: err("COURIER__RPC__TIMEOUT"), now: T0 + 10, config })).toMatchObject({
      kind: "release",
      next_exec: T0,
    });
    expect(decideAfterResult({ op: makeOp(), outcome: "ambiguous", error: err("COURIER__RPC__TIMEOUT"), now: T0, config })).toMatchObject({
      kind: "release",
      next_exec: T0 + config.ambiguousDelayMs,
    });
  });
});

describe("decideAfterResult: recurring runs that fail or overrun", () => {
  it("on_failure continue: a run failed for good moves to the next slot, keeps the error and asks for the op's alert", () => {
    const failed = decideAfterResult({ op: makeOp({ exec_count: 3, run: 4 }), outcome: "permanent", error: err("COURIER__OP__INSUFFICIENT_FUNDS"), now: T0 + 1000, config });
    expect(failed).toMatchObject({ kind: "reschedule", run: 5, due_at: T0 + 5 * MIN, exec_count: 3, attempts: 0, last_error: "COURIER__OP__INSUFFICIENT_FUNDS: boom", runFailed: true });
    const dead = decideAfterResult({ op: makeOp({ attempts: 3 }), outcome: "retryable", error: err("COURIER__RPC__TIMEOUT"), now: T0, config });
    expect(dead).toMatchObject({ kind: "reschedule", run: 2, runFailed: true });
    // A one-off op has no next slot: it fails whatever on_failure says.
    const once = decideAfterResult({ op: makeOp({ schedule: { kind: "once" } }), outcome: "permanent", error: err("COURIER__OP__INSUFFICIENT_FUNDS"), now: T0, config });
    expect(once).toMatchObject({ kind: "finish", status: "failed" });
  });

  it("skip: a run that overran its next slots skips them as one summary and resumes at the next future slot", () => {
    const op = makeOp({ schedule: { kind: "every", every_ms: 1000, anchor: T0 }, run: 1 });
    const d = decideAfterResult({ op, outcome: "ok", error: null, now: T0 + 3500, config });
    expect(d).toMatchObject({ kind: "reschedule", run: 5, due_at: T0 + 4000, next_exec: T0 + 4000, exec_count: 1 });
    if (d.kind === "reschedule") expect(d.skipped).toEqual({ first_run: 2, count: 3, from: T0 + 1000, to: T0 + 3000, capped: false });
    // Under once/all the overrun slots stay due: the claim-time rules catch them up.
    const all = decideAfterResult({ op: makeOp({ ...op, misfire: "all" }), outcome: "ok", error: null, now: T0 + 3500, config });
    expect(all).toMatchObject({ kind: "reschedule", run: 2, due_at: T0 + 1000 });
  });
});

describe("decideAtClaim", () => {
  const hourLater = T0 + 60 * MIN + 1000; // 13 slots (T0 .. T0+60min) have passed, the first 12 by more than a minute

  it("executes an on-time run and a late one-off", () => {
    expect(decideAtClaim({ op: makeOp(), now: T0 + 500, started: false, config })).toEqual({ kind: "execute" });
    expect(decideAtClaim({ op: makeOp({ schedule: { kind: "once" } }), now: hourLater, started: false, config })).toEqual({ kind: "execute" });
  });

  it("expires an op past expires_at unless its run already started acting", () => {
    const op = makeOp({ expires_at: T0 + 1000 });
    expect(decideAtClaim({ op, now: T0 + 1000, started: false, config })).toMatchObject({ kind: "expire", transition: { status: "expired" } });
    expect(decideAtClaim({ op, now: T0 + 1000, started: true, config })).toEqual({ kind: "execute" });
  });

  it("skip records every passed slot as one summary and resumes at the next future slot", () => {
    const d = decideAtClaim({ op: makeOp(), now: hourLater, started: false, config });
    expect(d.kind).toBe("advance");
    if (d.kind !== "advance") return;
    expect(d.execute).toBe(false);
    expect(d.missed).toEqual({ first_run: 1, count: 13, from: T0, to: T0 + 60 * MIN, capped: false });
    expect(d.transition).toMatchObject({ run: 14, due_at: T0 + 65 * MIN, next_exec: T0 + 65 * MIN, attempts: 0 });
  });

  it("once runs the latest missed slot as the one catch-up", () => {
    const d = decideAtClaim({ op: makeOp({ misfire: "once" }), now: hourLater, started: false, config });
    expect(d).toMatchObject({ kind: "advance", execute: true, transition: { run: 13, due_at: T0 + 60 * MIN, next_exec: hourLater } });
    if (d.kind === "advance") expect(d.missed).toMatchObject({ first_run: 1, count: 12, from: T0, to: T0 + 55 * MIN });
    // Claimed again, the catch-up run is within its window: it executes.
    const again = makeOp({ misfire: "once", run: 13, due_at: T0 + 60 * MIN, next_exec: hourLater });
    expect(decideAtClaim({ op: again, now: hourLater, started: false, config })).toEqual({ kind: "execute" });
  });

  it("all runs every missed slot in turn, capped", () => {
    expect(decideAtClaim({ op: makeOp({ misfire: "all" }), now: hourLater, started: false, config })).toEqual({ kind: "execute" });
    const capped = decideAtClaim({ op: makeOp({ misfire: "all" }), now: hourLater, started: false, config: { ...config, catchUpCap: 5 } });
    expect(capped).toMatchObject({ kind: "advance", execute: true, transition: { run: 9, due_at: T0 + 40 * MIN } });
    if (capped.kind === "advance") expect(capped.missed).toMatchObject({ first_run: 1, count: 8, from: T0, to: T0 + 35 * MIN });
  });

  it("does not treat a retry or a reclaimed run as missed", () => {
    expect(decideAtClaim({ op: makeOp({ attempts: 2 }), now: hourLater, started: false, config })).toEqual({ kind: "execute" });
    expect(decideAtClaim({ op: makeOp(), now: hourLater, started: true, config })).toEqual({ kind: "execute" });
  });
});
