import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildNewOp, type Clock, getOnFailure, createActionRegistry, isCourierError, type NewOp, type Op, type Store } from "@courier/agent";
import { openSqliteStore } from "@courier/sqlite";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createSignerFromSecretKey } from "../keys/signer.js";
import { registerSolanaActions } from "../actions/registry.js";
import { createIntentPolicy } from "./intent-policy.js";
import { createSignedOpBody, signStoredOp } from "./sign-intent.js";
import { withIntentCheck } from "./with-intent-check.js";

const owner = createSignerFromSecretKey(new Uint8Array(32).fill(7));
const stranger = createSignerFromSecretKey(new Uint8Array(32).fill(9));
const NOW = Date.parse("2026-03-01T12:00:00.000Z");
const clock: Clock = { now: () => NOW, sleep: async () => {} };
const registry = createActionRegistry();
registerSolanaActions(registry);
const TO = "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin";
const transfer = { action: "sol.transfer", params: { to: TO, lamports: 5_000 }, delay_ms: 30_000 };

function build(body: unknown): NewOp {
  return buildNewOp(body, { registry, clock, newId: () => "op-1" });
}

function asStored(op: NewOp, over: Partial<Op> = {}): Op {
  return { ...op, on_failure: getOnFailure(op), after_run: null, attempt_base: 0, ledger_floor: 0, status: "running", due_at: op.next_exec, updated_at: NOW, run: 1, exec_count: 0, attempts: 1, last_error: null, lease_owner: null, lease_until: null, ...over };
}

function expectInvalid(fn: () => unknown, reason: string): void {
  try {
    fn();
  } catch (e) {
    expect(isCourierError(e, "COURIER__OP__INTENT_INVALID")).toBe(true);
    expect((e as { context: { reason: string } }).context.reason).toBe(reason);
    return;
  }
  throw new Error("expected COURIER__OP__INTENT_INVALID");
}

describe("createSignedOpBody + policy.verifyNew", () => {
  const policy = createIntentPolicy({ keys: [owner.publicKey.toBase58()] });

  it("pins the time, and the server's op verifies against it", () => {
    const body = createSignedOpBody(transfer, owner, { registry, clock });
    expect(body.run_at).toBe(NOW + 30_000);
    expect("delay_ms" in body).toBe(false);
    const stored = policy.verifyNew(build(body), body.intent);
    expect(stored?.signer).toBe(owner.publicKey.toBase58());
    expect(JSON.parse(stored?.payload ?? "{}").schedule).toEqual({ kind: "once", run_at: NOW + 30_000 });
  });

  it("refuses unsigned, a stranger's key, and a signature over a different body", () => {
    expectInvalid(() => policy.verifyNew(build(transfer), undefined), "unsigned");
    const byStranger = createSignedOpBody(transfer, stranger, { registry, clock });
    expectInvalid(() => policy.verifyNew(build(byStranger), byStranger.intent), "signer_not_allowed");
    const signed = createSignedOpBody(transfer, owner, { registry, clock });
    const other = { ...signed, params: { to: TO, lamports: 5_001 } };
    expectInvalid(() => policy.verifyNew(build(other), signed.intent), "bad_signature");
    expectInvalid(() => policy.verifyNew(build(signed), { signer: "not-base58-0OIl", signature: signed.intent.signature }), "bad_signer");
    expectInvalid(() => policy.verifyNew(build(signed), { ...signed.intent, signature: "1" }), "bad_signature");
  });

  it("without owner keys: unsigned is fine, a given intent must still verify", () => {
    const open = createIntentPolicy({ keys: [] });
    expect(open.enforced).toBe(false);
    expect(open.verifyNew(build(transfer), undefined)).toBeNull();
    const byStranger = createSignedOpBody(transfer, stranger, { registry, clock });
    expect(open.verifyNew(build(byStranger), byStranger.intent)?.signer).toBe(stranger.publicKey.toBase58());
    expectInvalid(() => open.verifyNew(build({ ...byStranger, params: { to: TO, lamports: 1 } }), byStranger.intent), "bad_signature");
  });

  it("refuses a key list entry that is not a public key", () => {
    expect(() => createIntentPolicy({ keys: ["abc"] })).toThrow(/COURIER_INTENT_KEYS/);
  });
});

describe("policy.check (before every run)", () => {
  const policy = createIntentPolicy({ keys: [owner.publicKey.toBase58()] });
  const body = createSignedOpBody({ ...transfer, every_ms: 60_000 }, owner, { registry, clock });
  const newOp = build(body);
  newOp.intent = policy.verifyNew(newOp, body.intent);

  it("lets the signed op run, and keeps letting it as it runs (run, attempts, next_exec later)", () => {
    expect(policy.check(asStored(newOp))).toEqual({ ok: true });
    expect(policy.check(asStored(newOp, { run: 9, exec_count: 8, attempts: 3, next_exec: newOp.next_exec + 480_000 }))).toEqual({ ok: true });
  });

  it("refuses a tampered, unsigned, or foreign-signed op, naming what differs", () => {
    const tampered = asStored(newOp, { params: { to: TO, lamports: 5_000_000 } });
    expect(policy.check(tampered)).toMatchObject({ ok: false, reason: "mismatch", fields: ["params.lamports"] });
    expect(policy.check(asStored(newOp, { intent: null }))).toMatchObject({ ok: false, reason: "unsigned" });
    const other = signStoredOp(asStored(newOp), stranger);
    expect(policy.check(asStored(newOp, { intent: other }))).toMatchObject({ ok: false, reason: "signer_not_allowed" });
    // The payload rewritten to match a tampered op: the signature no longer covers it.
    const forged = { ...(newOp.intent as NonNullable<Op["intent"]>), payload: signStoredOp(tampered, stranger).payload };
    expect(policy.check({ ...tampered, intent: forged })).toMatchObject({ ok: false, reason: "bad_signature" });
  });

  it("`courier ops sign` re-signs a stored op as it is", () => {
    const legacy = asStored(build(transfer), { intent: null });
    expect(policy.check(legacy)).toMatchObject({ reason: "unsigned" });
    expect(policy.check({ ...legacy, intent: signStoredOp(legacy, owner) })).toEqual({ ok: true });
  });
});

describe("withIntentCheck", () => {
  let dir = "";
  let store: Store | null = null;
  afterEach(async () => {
    await store?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("refuses before the executor is called, with one audit event per refusal and one alert per op", async () => {
    dir = await mkdtemp(join(tmpdir(), "courier-intent-"));
    const opened = await openSqliteStore(join(dir, "courier.db"));
    store = opened;
    const policy = createIntentPolicy({ keys: [owner.publicKey.toBase58()] });
    const signed = createSignedOpBody(transfer, owner, { registry, clock });
    const op = build(signed);
    op.intent = policy.verifyNew(op, signed.intent);
    const calls: string[] = [];
    const executor = withIntentCheck(
      {
        execute: async (o) => {
          calls.push(o.id);
          return { outcome: "ok" };
        },
      },
      { policy, store: opened, clock, logger: pino({ level: "silent" }), instanceId: "test" },
    );
    const ctx = { run: 1, attempt: 1 } as Parameters<typeof executor.execute>[1];
    expect(await executor.execute(asStored(op), ctx)).toEqual({ outcome: "ok" });
    const tampered = asStored(op, { params: { to: "11111111111111111111111111111111", lamports: 5_000 } });
    const first = await executor.execute(tampered, ctx);
    const second = await executor.execute(tampered, { ...ctx, attempt: 2 });
    expect(calls).toEqual(["op-1"]);
    for (const r of [first, second]) {
      expect(r.outcome).toBe("permanent");
      if (r.outcome !== "ok") expect(r.error.code).toBe("COURIER__OP__INTENT_INVALID");
    }
    const audit = await opened.listAudit({ limit: 10, kind: "op.intent_invalid" });
    expect(audit).toHaveLength(2);
    expect(audit[0]?.data).toMatchObject({ reason: "mismatch", fields: ["params.to"] });
    const alerts = (await opened.getAlerts()).filter((a) => a.key === "op.intent_invalid:op-1");
    expect(alerts).toMatchObject([{ state: "firing" }]);
    expect((await opened.outboxSummary()).pending).toBe(1);
  });

  it("is the executor itself when no owner keys are set", () => {
    const inner = { execute: async () => ({ outcome: "ok" as const }) };
    const policy = createIntentPolicy({ keys: [] });
    expect(withIntentCheck(inner, { policy, store: {} as Store, clock, logger: pino({ level: "silent" }), instanceId: "x" })).toBe(inner);
  });
});
