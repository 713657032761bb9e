/**
 * JSON-RPC 2.0 requests (single or batched) over plain HTTP POSTs (http-post.ts: keep-alive
 * connections), with a timeout on every call. Not web3.js `Connection`: this keeps the JSON-RPC
 * error code and data, the HTTP status and `Retry-After`, and does no hidden retries.
 * Every failure is thrown as an `RpcTransportError` that says what happened on the wire.
 */
import { getNetworkErrorCode, isTimeoutError } from "../errors/classify.js";
import { RpcTransportError } from "../errors/rpc-transport-error.js";
import { postJson } from "./http-post.js";
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
  const { method, endpoint } = req;
  const base = { method, endpoint };
  const { res, body } = await post(req, { jsonrpc: "2.0", id: nextId++, method, params: req.params });
  const rpcError = getRpcError(body);
  throwOnHttpFailure(res, body, base, req.now);
  if (rpcError) throw toRpcError(rpcError, base, res.status);
  if (!isOk(res.status)) {
    throw new RpcTransportError(`${method}: ${endpoint} answered HTTP ${res.status}`, { ...base, kind: "http_error", mayHaveReached: true, httpStatus: res.status });
  }
  if (!body || typeof body !== "object" || !("result" in body)) {
    throw new RpcTransportError(`${method}: ${endpoint} sent a response that is not JSON-RPC`, { ...base, kind: "bad_response", mayHaveReached: true, httpStatus: res.status });
  }
  return (body as { result: T }).result;
}

/** One entry's answer in a batch: its result, or the failure as a single request would have thrown it. */
export type BatchAnswer<T> = { ok: true; result: T } | { ok: false; error: RpcTransportError };

/**
 * Several calls of one method in ONE JSON-RPC batch request. Resolves with one answer per entry
 * (in order), or "refused" when the endpoint does not take batches (a non-2xx status other than
 * 429/5xx, or a single answer instead of an array): nothing of it was executed then. A failure
 * of the whole request (timeout, reset, 429, 5xx) is thrown as for a single request.
 */
export async function postJsonRpcBatch<T>(req: Omit<JsonRpcRequest, "params"> & { paramsList: unknown[][] }): Promise<BatchAnswer<T>[] | "refused"> {
  const { method, endpoint } = req;
  const base = { method, endpoint };
  const first = nextId;
  nextId += req.paramsList.length;
  const payload = req.paramsList.map((params, i) => ({ jsonrpc: "2.0", id: first + i, method, params }));
  const { res, body } = await post({ ...req, params: [] }, payload);
  throwOnHttpFailure(res, body, base, req.now);
  if (!isOk(res.status) || !Array.isArray(body)) return "refused";
  const byId = new Map<unknown, unknown>();
  for (const answer of body) if (answer && typeof answer === "object") byId.set((answer as { id?: unknown }).id, answer);
  return req.paramsList.map((_, i): BatchAnswer<T> => {
    const answer = byId.get(first + i);
    const rpcError = getRpcError(answer);
    if (rpcError) return { ok: false, error: toRpcError(rpcError, base, res.status) };
    if (!answer || typeof answer !== "object" || !("result" in answer)) {
      // The batch was delivered but this entry has no answer: it may have been executed.
      return { ok: false, error: new RpcTransportError(`${method}: ${endpoint} left a batch entry unanswered`, { ...base, kind: "bad_response", mayHaveReached: true, httpStatus: res.status }) };
    }
    return { ok: true, result: (answer as { result: T }).result };
  });
}

interface HttpResult {
  status: number;
  retryAfter: string | null;
}

const isOk = (status: number) => status >= 200 && status < 300;

async function post(req: JsonRpcRequest, payload: unknown): Promise<{ res: HttpResult; body: unknown }> {
  try {
    const target = toRpcTarget(req.url);
    const answer = await postJson(target.url, target.headers, JSON.stringify(payload), req.timeoutMs);
    return { res: answer, body: parseJson(answer.text) };
  } catch (e) {
    throw toTransportError(e, { method: req.method, endpoint: req.endpoint }, req.timeoutMs);
  }
}

/** 429 and 5xx: the endpoint refused or failed the whole request, whatever JSON it wrapped that in. */
function throwOnHttpFailure(res: HttpResult, body: unknown, base: { method: string; endpoint: string }, now: number): void {
  if (res.status === 429) {
    const retryAfterMs = parseRetryAfter(res.retryAfter, now);
    throw new RpcTransportError(`${base.method}: rate limited by ${base.endpoint} (HTTP 429, retry after ${retryAfterMs} ms)`, {
      ...base,
      kind: "rate_limited",
      mayHaveReached: false,
      httpStatus: 429,
      retryAfterMs,
    });
  }
  if (res.status >= 500) {
    const rpcError = getRpcError(body);
    // A 503 is the node (or its gateway) refusing work; other 5xx may come from a gateway whose upstream did get it.
    throw new RpcTransportError(`${base.method}: ${base.endpoint} answered HTTP ${res.status}${rpcError ? ` (${rpcError.message})` : ""}`, {
      ...base,
      kind: "server_error",
      mayHaveReached: res.status !== 503,
      httpStatus: res.status,
      ...(rpcError ? { rpcCode: rpcError.code } : {}),
    });
  }
}

function toRpcError(e: { code: number; message: string; data: unknown }, base: { method: string; endpoint: string }, httpStatus: number): RpcTransportError {
  return new RpcTransportError(e.message, { ...base, kind: "json_rpc", mayHaveReached: true, httpStatus, rpcCode: e.code, rpcData: e.data });
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
