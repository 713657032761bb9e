import { describe, expect, it } from "vitest";
import type { IntentSource } from "./op-intent.js";
import { compareOpWithIntent } from "./compare-op-intent.js";
import { encodeIntentPayload, getDefaultOnFailure, getIntentMessage, getOpIntent, INTENT_DOMAIN } from "./op-intent.js";

/** The fixed op of docs/api.md "Signed op intents". */
const FIXED: IntentSource = {
  action: "sol.transfer",
  params: { to: "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin", lamports: 1_000_000 },
  schedule: { kind: "once" },
  max_exec: null,
  expires_at: null,
  max_attempts: 5,
  misfire: "skip",
  idempotency_key: "invoice-42",
};
const RUN_AT = Date.parse("2026-01-01T00:00:00.000Z");

const PINNED_PAYLOAD =
  '{"action":"sol.transfer","expires_at":null,"idempotency_key":"invoice-42","max_attempts":5,"max_exec":null,"misfire":"skip","on_failure":"stop","params":{"lamports":1000000,"to":"9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin"},"schedule":{"kind":"once","run_at":1767225600000}}';
const PINNED_MESSAGE_HEX =
  "636f75726965722d696e74656e742d76310a7b22616374696f6e223a22736f6c2e7472616e73666572222c22657870697265735f6174223a6e756c6c2c226964656d706f74656e63795f6b6579223a22696e766f6963652d3432222c226d61785f617474656d707473223a352c226d61785f65786563223a6e756c6c2c226d697366697265223a22736b6970222c226f6e5f6661696c757265223a2273746f70222c22706172616d73223a7b226c616d706f727473223a313030303030302c22746f223a22397851655776473831366255783945506a486d615432337976564d325a57627272705a62395075735646696e227d2c227363686564756c65223a7b226b696e64223a226f6e6365222c2272756e5f6174223a313736373232353630303030307d7d";

describe("op intent encoding (courier-intent-v1)", () => {
  it("pins the exact bytes of a fixed op (a change here breaks every stored signature)", () => {
    const payload = encodeIntentPayload(getOpIntent(FIXED, RUN_AT));
    expect(payload).toBe(PINNED_PAYLOAD);
    expect(Buffer.from(getIntentMessage(payload)).toString("hex")).toBe(PINNED_MESSAGE_HEX);
    expect(Buffer.from(getIntentMessage(payload)).subarray(0, INTENT_DOMAIN.length + 1).toString("utf8")).toBe("courier-intent-v1\n");
  });

  it("does not depend on the order the op's fields or params were written in", () => {
    const reordered: IntentSource = {
      idempotency_key: "invoice-42",
      misfire: "skip",
      max_attempts: 5,
      expires_at: null,
      max_exec: null,
      schedule: { kind: "once" },
      params: { lamports: 1_000_000, to: "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin" },
      action: "sol.transfer",
    };
    expect(encodeIntentPayload(getOpIntent(reordered, RUN_AT))).toBe(PINNED_PAYLOAD);
  });

  it("covers the schedule of each kind, and on_failure with its default per kind", () => {
    expect(getDefaultOnFailure({ kind: "once" })).toBe("stop");
    expect(getDefaultOnFailure({ kind: "every" })).toBe("continue");
    expect(getDefaultOnFailure({ kind: "cron" })).toBe("continue");
    const every = getOpIntent({ ...FIXED, schedule: { kind: "every", every_ms: 60_000, anchor: RUN_AT } }, 0);
    expect(every.schedule).toEqual({ kind: "every", every_ms: 60_000, anchor: RUN_AT });
    expect(every.on_failure).toBe("continue");
    const cron = getOpIntent({ ...FIXED, schedule: { kind: "cron", cron: "0 9 * * *", tz: "Europe/Paris" }, on_failure: "stop" }, 0);
    expect(cron.schedule).toEqual({ kind: "cron", cron: "0 9 * * *", tz: "Europe/Paris" });
    expect(cron.on_failure).toBe("stop");
  });
});

describe("compareOpWithIntent", () => {
  const op = { ...FIXED, next_exec: RUN_AT };

  it("matches the op it was made from, also when it runs later than signed (a retry)", () => {
    expect(compareOpWithIntent(op, PINNED_PAYLOAD)).toEqual({ matches: true, fields: [] });
    expect(compareOpWithIntent({ ...op, next_exec: RUN_AT + 3_600_000 }, PINNED_PAYLOAD).matches).toBe(true);
  });

  it("names each tampered field", () => {
    const redirected = { ...op, params: { to: "11111111111111111111111111111111", lamports: 1_000_000 } };
    expect(compareOpWithIntent(redirected, PINNED_PAYLOAD)).toEqual({ matches: false, fields: ["params.to"] });
    const inflated = { ...op, params: { to: "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin", lamports: 9_000_000 }, max_attempts: 50 };
    expect(compareOpWithIntent(inflated, PINNED_PAYLOAD).fields).toEqual(["max_attempts", "params.lamports"]);
    expect(compareOpWithIntent({ ...op, next_exec: RUN_AT - 1 }, PINNED_PAYLOAD).fields).toEqual(["schedule.run_at"]);
    expect(compareOpWithIntent({ ...op, action: "memo" }, PINNED_PAYLOAD).fields).toEqual(["action"]);
    expect(compareOpWithIntent({ ...op, on_failure: "continue" }, PINNED_PAYLOAD).fields).toEqual(["on_failure"]);
    const recurring = { ...op, schedule: { kind: "every" as const, every_ms: 1_000, anchor: RUN_AT }, next_exec: RUN_AT };
    expect(compareOpWithIntent(recurring, PINNED_PAYLOAD).fields).toEqual(["on_failure", "schedule.anchor", "schedule.every_ms", "schedule.kind", "schedule.run_at"]);
  });

  it("refuses an interval op moved before its signed anchor, and an unreadable or non-canonical payload", () => {
    const every = { ...FIXED, schedule: { kind: "every" as const, every_ms: 60_000, anchor: RUN_AT } };
    const payload = encodeIntentPayload(getOpIntent(every, 0));
    expect(compareOpWithIntent({ ...every, next_exec: RUN_AT + 120_000 }, payload).matches).toBe(true);
    expect(compareOpWithIntent({ ...every, next_exec: RUN_AT - 1 }, payload).fields).toEqual(["next_exec"]);
    expect(compareOpWithIntent(op, "not json").fields).toEqual(["payload"]);
    expect(compareOpWithIntent(op, PINNED_PAYLOAD.replace(":5,", ": 5,")).fields).toEqual(["payload"]);
  });
});
