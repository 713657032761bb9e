/**
 * Optional credentials on a localnet endpoint, shaped like hosted RPC providers ask for them,
 * so clients' handling of credentials is tested against a real server:
 * - `basic` ("user:pass"): every JSON-RPC request needs `Authorization: Basic …` of exactly that;
 * - `apiKey`: the key is the request path (`/KEY`) or the `api-key` query value (`/?api-key=KEY`).
 * Control routes (/__localnet/*) and /health stay open: they belong to the test harness.
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export interface EndpointAuth {
  basic?: string;
  apiKey?: string;
}

export type AuthVerdict = { ok: true } | { ok: false; message: string; headers: Record<string, string> };

export function assertEndpointAuth(auth: EndpointAuth): void {
  if (auth.basic !== undefined && !/^[^:]+:.+$/.test(auth.basic)) throw new Error("startLocalnet: auth must be user:pass");
  if (auth.apiKey !== undefined && !/^[A-Za-z0-9_-]{1,128}$/.test(auth.apiKey)) throw new Error("startLocalnet: apiKey must be 1-128 URL-safe characters");
}

export function checkEndpointAuth(auth: EndpointAuth, req: IncomingMessage): AuthVerdict {
  if (auth.basic !== undefined) {
    const expected = `Basic ${Buffer.from(auth.basic, "utf8").toString("base64")}`;
    if (!sameText(req.headers.authorization ?? "", expected)) {
      return { ok: false, message: "Unauthorized: basic credentials required", headers: { "www-authenticate": 'Basic realm="localnet"' } };
    }
  }
  if (auth.apiKey !== undefined) {
    const url = new URL(req.url ?? "/", "http://localnet");
    const given = url.pathname === "/" ? (url.searchParams.get("api-key") ?? "") : decodeURIComponent(url.pathname.slice(1));
    if (!sameText(given, auth.apiKey)) return { ok: false, message: "Unauthorized: missing or invalid api key", headers: {} };
  }
  return { ok: true };
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}
