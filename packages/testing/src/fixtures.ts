import type { AttemptRecord, LedgerEntry, NewOp, Transition } from "@courier/agent";

/** Fixed base time of the conformance suite (stores take time as arguments, never a clock). */
export const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
export const LEASE_MS = 30_000;

let seq = 0;

/** A valid one-off NewOp due at T0, with a unique id. */
export function makeNewOp(overrides: Partial<NewOp> = {}): NewOp {
  seq += 1;
  return {
    id: `op_test_${String(seq).padStart(6, "0")}`,
    action: "test.noop",
    params: { n: seq },
    schedule: { kind: "once" },
    next_exec: T0,
    created_at: T0 - 60_000,
    max_exec: null,
    max_attempts: 3,
    expires_at: null,
    idempotency_key: null,
    misfire: "skip",
    missed_window_ms: null,
    ...overrides,
  };
}

/** A one-off memo op created now (wall clock), due in an hour unless `overrides` say otherwise: the CLI tests' op. */
export function makeMemoOp(id: string, overrides: Partial<NewOp> = {}): NewOp {
  const now = Date.now();
  return makeNewOp({ id, action: "memo", params: { text: id }, next_exec: now + 3_600_000, created_at: now, max_attempts: 5, ...overrides });
}

export function makeAttempt(overrides: Partial<AttemptRecord> & Pick<AttemptRecord, "op_id">): AttemptRecord {
  return {
    run: 1,
    attempt: 1,
    instance: "inst-a",
    action: "test.noop",
    started_at: T0,
    ended_at: T0 + 10,
    outcome: "ok",
    error_code: null,
    error: null,
    signature: null,
    latency_ms: 10,
    ...overrides,
  };
}

export const SUCCEED: Transition = { kind: "finish", status: "succeeded", exec_count: 1, last_error: null };

export function makeLedgerEntry(overrides: Partial<LedgerEntry> & Pick<LedgerEntry, "op_id" | "signature">): LedgerEntry {
  return {
    run: 1,
    seq: 0,
    wire: new Uint8Array([1, 2, 3, 0, 255]),
    blockhash: "BlockHash1111111111111111111111111111111111",
    last_valid_block_height: 150,
    state: "signed",
    error: null,
    lamports: 1000,
    signer: "Signer1111111111111111111111111111111111111",
    created_at: T0,
    updated_at: T0,
    ...overrides,
  };
}
