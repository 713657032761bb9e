/**
 * Calling the JSON API in-process. The bulk endpoint and the dashboard's buttons go through the
 * very route an API client would call, so they keep its exact semantics (status rules, audit
 * events, conflicts such as COURIER__OP__IN_FLIGHT) instead of re-implementing them.
 */
import type { Hono } from "hono";
import type { AdminDeps } from "../types.js";

export interface ApiAnswer {
  status: number;
  body: unknown;
  /** The error code of a refusal (`null` for a 2xx). */
  code: string | null;
  message: string | null;
}

/** An internal origin that passes the Host allowlist; never sent over a network. */
const INTERNAL_BASE = "http://127.0.0.1";

export async function callApi(app: Hono, deps: AdminDeps, method: "GET" | "POST", path: string, body?: unknown): Promise<ApiAnswer> {
  const headers: Record<string, string> = {};
  if (deps.token) headers.authorization = `Bearer ${deps.token}`;
  let payload: string | undefined;
  if (body !== undefined) {
    payload = JSON.stringify(body);
    headers["content-type"] = "application/json";
  }
  const res = await app.fetch(new Request(`${INTERNAL_BASE}${path}`, { method, headers, body: payload }));
  const json = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  const ok = res.status >= 200 && res.status < 300;
  return {
    status: res.status,
    body: json,
    code: ok ? null : (json?.error?.code ?? `HTTP_${res.status}`),
    message: ok ? null : (json?.error?.message ?? null),
  };
}

/** True when the API has no such route (as opposed to no such op). */
export function isMissingRoute(answer: ApiAnswer): boolean {
  return answer.status === 404 && (answer.message ?? "").startsWith("no route for ");
}
