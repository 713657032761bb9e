import { createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isCourierError } from "../errors.js";
import { signWebhook, verifyWebhook } from "./sign.js";

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const TS = Math.floor(NOW / 1000);
const SECRET = `whsec_${randomBytes(24).toString("base64")}`;
const BODY = JSON.stringify({ type: "op.succeeded", data: { op_id: "op_1", n: 1 } });

describe("signWebhook / verifyWebhook", () => {
  it("matches the Standard Webhooks published example", () => {
    const headers = signWebhook({
      id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
      timestamp: 1614265330,
      body: '{"test": 2432232314}',
      secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    });
    expect(headers).toEqual({
      "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
      "webhook-timestamp": "1614265330",
      "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    });
  });

  it("signs with the decoded whsec_ key and with raw-string keys (known answers computed with node:crypto)", () => {
    const key = randomBytes(32);
    const expected = (k: Buffer | string) => `v1,${createHmac("sha256", k).update(`evt_1.${TS}.${BODY}`).digest("base64")}`;
    expect(signWebhook({ id: "evt_1", timestamp: TS, body: BODY, secrets: [`whsec_${key.toString("base64")}`] })["webhook-signature"]).toBe(expected(key));
    expect(signWebhook({ id: "evt_1", timestamp: TS, body: BODY, secrets: ["plain-secret"] })["webhook-signature"]).toBe(expected("plain-secret"));
    // a byte body signs the same as its string form
    expect(signWebhook({ id: "evt_1", timestamp: TS, body: new TextEncoder().encode(BODY), secrets: ["plain-secret"] })["webhook-signature"]).toBe(
      expected("plain-secret"),
    );
  });

  it("round-trips, with Headers objects and plain header records of any case", () => {
    const headers = signWebhook({ id: "evt_2", timestamp: TS, body: BODY, secrets: [SECRET] });
    expect(verifyWebhook({ headers, body: BODY, secrets: [SECRET], now: NOW })).toEqual({ ok: true });
    expect(verifyWebhook({ headers: new Headers(headers), body: BODY, secrets: [SECRET], now: NOW })).toEqual({ ok: true });
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect(verifyWebhook({ headers: upper, body: Buffer.from(BODY), secrets: [SECRET], now: NOW })).toEqual({ ok: true });
  });

  it("rejects a tampered body, a wrong secret, another id, and missing or malformed headers", () => {
    const headers = signWebhook({ id: "evt_3", timestamp: TS, body: BODY, secrets: [SECRET] });
    const bad = (h: Record<string, string>, body = BODY, secrets = [SECRET]) => verifyWebhook({ headers: h, body, secrets, now: NOW });
    expect(bad(headers, BODY.replace('"n":1', '"n":2'))).toEqual({ ok: false, reason: "no_matching_signature" });
    expect(bad(headers, BODY, [`whsec_${randomBytes(24).toString("base64")}`])).toEqual({ ok: false, reason: "no_matching_signature" });
    expect(bad({ ...headers, "webhook-id": "evt_other" })).toEqual({ ok: false, reason: "no_matching_signature" });
    expect(bad({ ...headers, "webhook-signature": headers["webhook-signature"]!.replace("v1,", "v2,") })).toEqual({
      ok: false,
      reason: "no_matching_signature",
    });
    expect(bad({ ...headers, "webhook-signature": "v1,not base64!!" })).toEqual({ ok: false, reason: "no_matching_signature" });
    expect(bad({ "webhook-id": "evt_3", "webhook-timestamp": String(TS) })).toEqual({ ok: false, reason: "missing_headers" });
    expect(bad({ ...headers, "webhook-timestamp": "12.5" })).toEqual({ ok: false, reason: "invalid_timestamp" });
  });

  it("rejects timestamps outside the tolerance either way and accepts the edges", () => {
    const at = (ts: number) => signWebhook({ id: "evt_4", timestamp: ts, body: BODY, secrets: [SECRET] });
    const check = (ts: number, toleranceSec?: number) => verifyWebhook({ headers: at(ts), body: BODY, secrets: [SECRET], now: NOW, toleranceSec });
    expect(check(TS - 300)).toEqual({ ok: true });
    expect(check(TS + 300)).toEqual({ ok: true });
    expect(check(TS - 301)).toEqual({ ok: false, reason: "timestamp_too_old" });
    expect(check(TS + 301)).toEqual({ ok: false, reason: "timestamp_too_new" });
    expect(check(TS - 20, 10)).toEqual({ ok: false, reason: "timestamp_too_old" });
  });

  it("rotation: signing with old and new secrets verifies against either; one signature per secret", () => {
    const oldSecret = `whsec_${randomBytes(24).toString("base64")}`;
    const newSecret = "a-new-raw-secret";
    const headers = signWebhook({ id: "evt_5", timestamp: TS, body: BODY, secrets: [oldSecret, newSecret] });
    expect(headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(verifyWebhook({ headers, body: BODY, secrets: [oldSecret], now: NOW })).toEqual({ ok: true });
    expect(verifyWebhook({ headers, body: BODY, secrets: [newSecret], now: NOW })).toEqual({ ok: true });
    // a receiver already on the new secret verifies a delivery signed only with the old one if it still lists both
    const oldOnly = signWebhook({ id: "evt_5", timestamp: TS, body: BODY, secrets: [oldSecret] });
    expect(verifyWebhook({ headers: oldOnly, body: BODY, secrets: [newSecret, oldSecret], now: NOW })).toEqual({ ok: true });
    expect(verifyWebhook({ headers: oldOnly, body: BODY, secrets: [newSecret], now: NOW })).toEqual({ ok: false, reason: "no_matching_signature" });
  });

  it("refuses malformed or missing secrets as configuration errors without echoing them", () => {
    const thrown = (secrets: string[]): unknown => {
      try {
        signWebhook({ id: "e", timestamp: TS, body: BODY, secrets });
      } catch (e) {
        return e;
      }
      return null;
    };
    for (const secrets of [[], [""], ["whsec_%%%notbase64"]]) {
      const e = thrown(secrets);
      expect(isCourierError(e, "COURIER__CONFIG")).toBe(true);
      expect(JSON.stringify(e)).not.toContain("%%%");
    }
  });
});
