/**
 * One JSON-RPC 2.0 request over Node's global fetch (undici keeps connections alive), with a
 * timeout on every call. Raw fetch rather than web3.js `Connection`: it keeps the JSON-RPC error
 * code and data, the HTTP status and `Retry-After`, and does no hidden retries.
 * Every failure is thrown as an `RpcTransportError` that says what happened on the wire.
 */
import { getNetworkErrorCode, isTimeoutError } from "../errors/classify.js";
import { RpcTransportError } from "../errors/rpc-transport-error.js";
import { toRpcTarget } from "./rpc-target.js";

/** Retry-After missing or unreadable on a 429: back off this long. */
export const DEFAULT_RETRY_AFTER_MS = 1_000;
const MAX_RETRY_AFTER_MS = 60_000;
const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

let nextId = 1;

export interface JsonRpcRequest {
  url: string;
  /** Redacted form of `url`, the only one that goes into errors. */
  endpoint: string;
  method: string;
  params: unknown[];
  timeoutMs: number;
  /** Epoch ms now, for turning an HTTP-date Retry-After into a delay. */
  now: number;
}

export async function postJsonRpc<T>(req: JsonRpcRequest): Promise<T> {
  const { url, endpoint, method, timeoutMs } = req;
  const base = { method, endpoint };
  const id = nextId++;
  let res: Response;
  let text: string;
  try {
    const target = toRpcTarget(url);
    res = await fetch(target.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...target.headers },
      body: JSON.stringify({ jsonrpc: "2.0", id, method, params: req.params }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await res.text();
  } catch (e) {
    throw toTransportError(e, base, timeoutMs);
  }
  if (res.status === 429) {
    const retryAfterMs = parseRetryAfter(res.headers.get("retry-after"), req.now);
    throw new RpcTransportError(`${method}: rate limited by ${endpoint} (HTTP 429, retry after ${retryAfterMs} ms)`, {
      ...base,
      kind: "rate_limited",
      mayHaveReached: false,
      httpStatus: 429,
      retryAfterMs,
    });
  }
  const body = parseJson(text);
  const rpcError = getRpcError(body);
  if (res.status >= 500) {
    // A 5xx is the endpoint failing, whatever JSON it wraps the failure in. A 503 is the node
    // (or its gateway) refusing work; other 5xx may come from a gateway whose upstream did get it.
    throw new RpcTransportError(`${method}: ${endpoint} answered HTTP ${res.status}${rpcError ? ` (${rpcError.message})` : ""}`, {
      ...base,
      kind: "server_error",
      mayHaveReached: res.status !== 503,
      httpStatus: res.status,
      ...(rpcError ? { rpcCode: rpcError.code } : {}),
    });
  }
  if (rpcError) {
    throw new RpcTransportError(rpcError.message, {
      ...base,
      kind: "json_rpc",
      mayHaveReached: true,
      httpStatus: res.status,
      rpcCode: rpcError.code,
      rpcData: rpcError.data,
    });
  }
  if (!res.ok) {
    throw new RpcTransportError(`${method}: ${endpoint} answered HTTP ${res.status}`, { ...base, kind: "http_error", mayHaveReached: true, httpStatus: res.status });
  }
  if (!body || typeof body !== "object" || !("result" in body)) {
    throw new RpcTransportError(`${method}: ${endpoint} sent a response that is not JSON-RPC`, { ...base, kind: "bad_response", mayHaveReached: true, httpStatus: res.status });
  }
  return (body as { result: T }).result;
}

function toTransportError(e: unknown, base: { method: string; endpoint: string }, timeoutMs: number): RpcTransportError {
  if (isTimeoutError(e)) {
    return new RpcTransportError(`${base.method}: no answer from ${base.endpoint} within ${timeoutMs} ms`, { ...base, kind: "timeout", mayHaveReached: true, timeoutMs }, { cause: e });
  }
  const code = getNetworkErrorCode(e);
  if (code && UNREACHABLE.has(code)) {
    return new RpcTransportError(`${base.method}: ${base.endpoint} unreachable (${code})`, { ...base, kind: "unreachable", mayHaveReached: false }, { cause: e });
  }
  return new RpcTransportError(`${base.method}: connection to ${base.endpoint} failed (${code ?? "no answer"})`, { ...base, kind: "network", mayHaveReached: true }, { cause: e });
}

/** `Retry-After` as delta-seconds or an HTTP date; bounded so a hostile header cannot park us for hours. */
export function parseRetryAfter(header: string | null, now: number): number {
  if (!header) return DEFAULT_RETRY_AFTER_MS;
  const trimmed = header.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    const at = Date.parse(trimmed);
    ms = Number.isNaN(at) ? DEFAULT_RETRY_AFTER_MS : at - now;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.round(ms)));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function getRpcError(body: unknown): { code: number; message: string; data: unknown } | null {
  if (!body || typeof body !== "object") return null;
  const err = (body as { error?: unknown }).error;
  if (!err || typeof err !== "object") return null;
  const { code, message, data } = err as { code?: unknown; message?: unknown; data?: unknown };
  return { code: typeof code === "number" ? code : 0, message: typeof message === "string" ? message : "rpc error", data };
}
