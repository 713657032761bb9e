/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): a delivery carries
 * `webhook-id`, `webhook-timestamp` (unix seconds) and `webhook-signature`, a space-separated
 * list of `v1,<base64 HMAC-SHA256(key, "${id}.${timestamp}.${body}")>`, one per secret in use,
 * so receivers keep verifying while a secret is rotated.
 *
 * Secrets: `whsec_<base64>` (the decoded bytes are the key, as in the spec) or any other
 * non-empty string (its UTF-8 bytes are the key).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { CourierError } from "../errors.js";

export const WEBHOOK_ID_HEADER = "webhook-id";
export const WEBHOOK_TIMESTAMP_HEADER = "webhook-timestamp";
export const WEBHOOK_SIGNATURE_HEADER = "webhook-signature";

const SECRET_PREFIX = "whsec_";
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The HMAC key of a secret; a malformed `whsec_` secret is a config error (never echoed). */
export function getWebhookSecretKey(secret: string): Buffer {
  if (typeof secret !== "string" || secret.length === 0) {
    throw new CourierError("COURIER__CONFIG", "webhook secret is empty", { field: "secrets" });
  }
  if (!secret.startsWith(SECRET_PREFIX)) return Buffer.from(secret, "utf8");
  const b64 = secret.slice(SECRET_PREFIX.length);
  if (!BASE64.test(b64) || b64.length % 4 !== 0) {
    throw new CourierError("COURIER__CONFIG", "webhook secret has the whsec_ prefix but its key is not base64", { field: "secrets" });
  }
  return Buffer.from(b64, "base64");
}

function toBytes(body: string | Uint8Array): Buffer {
  return typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

function hmac(key: Buffer, id: string, timestamp: number, body: Buffer): Buffer {
  return createHmac("sha256", key).update(`${id}.${timestamp}.`).update(body).digest();
}

export interface SignWebhookArgs {
  id: string;
  /** Unix seconds. */
  timestamp: number;
  body: string | Uint8Array;
  /** Every secret currently in use (one signature each). */
  secrets: readonly string[];
}

/** The three Standard Webhooks headers for one delivery. */
export function signWebhook(args: SignWebhookArgs): Record<string, string> {
  if (args.secrets.length === 0) throw new CourierError("COURIER__CONFIG", "no webhook secret configured", { field: "secrets" });
  if (!Number.isSafeInteger(args.timestamp)) {
    throw new CourierError("COURIER__VALIDATION", "webhook timestamp must be integer unix seconds", { field: "timestamp" });
  }
  const body = toBytes(args.body);
  const signatures = args.secrets.map((s) => `v1,${hmac(getWebhookSecretKey(s), args.id, args.timestamp, body).toString("base64")}`);
  return {
    [WEBHOOK_ID_HEADER]: args.id,
    [WEBHOOK_TIMESTAMP_HEADER]: String(args.timestamp),
    [WEBHOOK_SIGNATURE_HEADER]: signatures.join(" "),
  };
}

export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyWebhookArgs {
  headers: WebhookHeaders;
  /** The raw request body, exactly as received (re-serialised JSON will not verify). */
  body: string | Uint8Array;
  /** Every secret the receiver accepts (old and new during a rotation). */
  secrets: readonly string[];
  /** Accepted clock skew either way, in seconds. */
  toleranceSec?: number;
  /** Receiver's time, epoch ms (default: the wall clock). */
  now?: number;
}

export type VerifyWebhookResult =
  | { ok: true }
  | { ok: false; reason: "missing_headers" | "invalid_timestamp" | "timestamp_too_old" | "timestamp_too_new" | "no_matching_signature" };

function readHeader(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const rec = headers as Record<string, string | string[] | undefined>;
  let v = rec[name];
  if (v === undefined) {
    const key = Object.keys(rec).find((k) => k.toLowerCase() === name);
    v = key === undefined ? undefined : rec[key];
  }
  return Array.isArray(v) ? v.join(" ") : v;
}

/**
 * Receiver-side check of a Standard Webhooks delivery: the timestamp is within `toleranceSec`
 * of `now` (replay window) and at least one `v1` signature matches one of `secrets`
 * (constant-time comparison). Never throws on hostile input; a malformed secret does throw
 * (that is the receiver's configuration, not the request).
 */
export function verifyWebhook(args: VerifyWebhookArgs): VerifyWebhookResult {
  const id = readHeader(args.headers, WEBHOOK_ID_HEADER);
  const ts = readHeader(args.headers, WEBHOOK_TIMESTAMP_HEADER);
  const sig = readHeader(args.headers, WEBHOOK_SIGNATURE_HEADER);
  if (!id || !ts || !sig) return { ok: false, reason: "missing_headers" };
  if (!/^\d{1,15}$/.test(ts)) return { ok: false, reason: "invalid_timestamp" };
  const timestamp = Number(ts);
  const nowSec = Math.floor((args.now ?? Date.now()) / 1000);
  const tolerance = args.toleranceSec ?? 300;
  if (timestamp < nowSec - tolerance) return { ok: false, reason: "timestamp_too_old" };
  if (timestamp > nowSec + tolerance) return { ok: false, reason: "timestamp_too_new" };

  const body = toBytes(args.body);
  const expected = args.secrets.map((s) => hmac(getWebhookSecretKey(s), id, timestamp, body));
  const offered: Buffer[] = [];
  for (const part of sig.split(" ")) {
    const comma = part.indexOf(",");
    if (comma < 0 || part.slice(0, comma) !== "v1") continue;
    const b64 = part.slice(comma + 1);
    if (BASE64.test(b64)) offered.push(Buffer.from(b64, "base64"));
  }
  // Compare every pair without an early exit, so timing says nothing about which one matched.
  let match = false;
  for (const o of offered) {
    for (const e of expected) {
      if (o.length === e.length && timingSafeEqual(o, e)) match = true;
    }
  }
  return match ? { ok: true } : { ok: false, reason: "no_matching_signature" };
}
