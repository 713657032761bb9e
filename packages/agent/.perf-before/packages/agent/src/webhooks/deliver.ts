import { coerceError } from "../errors.js";

export type PostResult = { ok: true; status: number } | { ok: false; status: number | null; error: string; aborted: boolean };

export interface PostWebhookArgs {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Aborts the request when the dispatcher stops. */
  signal: AbortSignal;
  fetch: typeof fetch;
}

/**
 * One POST to a receiver: 2xx is a delivery, anything else (other status, timeout, network
 * error, redirect) is a failure described without the body or headers (they carry signatures).
 * The response body is never read: only the status matters, and a receiver must not be able to
 * hold the dispatcher by streaming.
 */
export async function postWebhook(a: PostWebhookArgs): Promise<PostResult> {
  const ctl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ctl.abort();
  }, a.timeoutMs);
  const onStop = () => ctl.abort();
  a.signal.addEventListener("abort", onStop, { once: true });
  try {
    const res = await a.fetch(a.url, { method: "POST", body: a.body, headers: a.headers, redirect: "manual", signal: ctl.signal });
    res.body?.cancel().catch(ignore);
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
    return { ok: false, status: res.status, error: `HTTP ${res.status}`, aborted: false };
  } catch (e) {
    if (timedOut) return { ok: false, status: null, error: `timeout after ${a.timeoutMs} ms`, aborted: false };
    if (a.signal.aborted) return { ok: false, status: null, error: "aborted: dispatcher stopping", aborted: true };
    return { ok: false, status: null, error: describeNetworkError(e), aborted: false };
  } finally {
    clearTimeout(timer);
    a.signal.removeEventListener("abort", onStop);
  }
}

/** undici reports "fetch failed" with the useful part (ECONNREFUSED…) in `cause`. */
function describeNetworkError(e: unknown): string {
  const cause = (e as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === "string") return `network error: ${cause.code}`;
  return `network error: ${coerceError(e).message}`.slice(0, 200);
}

function ignore(e: unknown): void {
  // Cancelling an unread body can only fail if the connection is already gone: nothing to do.
  coerceError(e);
}
