/**
 * Every RPC failure becomes a CourierError with an outcome class:
 * - wire failures from the pool's transport (`RpcTransportError`),
 * - JSON-RPC error objects (`{ code, message, data }`, web3.js `SolanaJSONRPCError`),
 * - web3.js v1 errors that only keep a message (`SendTransactionError`, "429 Too Many Requests"),
 * - fetch failures (timeouts, refused connections).
 */
import { CourierError, coerceError, isCourierError } from "@courier/agent";
import { classifySendTransactionError, isSendTransactionErrorLike } from "./classify-send-transaction-error.js";
import { classifyTransactionError } from "./classify-transaction-error.js";
import { isRpcTransportError, type RpcTransportFailure } from "./rpc-transport-error.js";

export { classifyTransactionError } from "./classify-transaction-error.js";

/** Solana JSON-RPC server error codes (solana-rpc-client-api `custom_error.rs`). */
export const JSON_RPC_CODES = {
  BLOCK_CLEANED_UP: -32001,
  SEND_TRANSACTION_PREFLIGHT_FAILURE: -32002,
  TRANSACTION_SIGNATURE_VERIFICATION_FAILURE: -32003,
  BLOCK_NOT_AVAILABLE: -32004,
  NODE_UNHEALTHY: -32005,
  TRANSACTION_PRECOMPILE_VERIFICATION_FAILURE: -32006,
  SLOT_SKIPPED: -32007,
  NO_SNAPSHOT: -32008,
  LONG_TERM_STORAGE_SLOT_SKIPPED: -32009,
  KEY_EXCLUDED_FROM_SECONDARY_INDEX: -32010,
  TRANSACTION_HISTORY_NOT_AVAILABLE: -32011,
  SCAN_ERROR: -32012,
  TRANSACTION_SIGNATURE_LEN_MISMATCH: -32013,
  BLOCK_STATUS_NOT_AVAILABLE_YET: -32014,
  UNSUPPORTED_TRANSACTION_VERSION: -32015,
  MIN_CONTEXT_SLOT_NOT_REACHED: -32016,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  PARSE_ERROR: -32700,
} as const;

export function classifyRpcError(e: unknown): CourierError {
  if (isCourierError(e)) return e;
  if (isRpcTransportError(e)) return classifyTransportFailure(e.failure, e.message, e);
  if (isSendTransactionErrorLike(e)) return classifySendTransactionError(e);
  const rpc = getJsonRpcErrorShape(e);
  if (rpc) return classifyJsonRpcError(rpc.code, rpc.message, rpc.data, {}, e);
  if (isTimeoutError(e)) return new CourierError("COURIER__RPC__TIMEOUT", "rpc call timed out", {}, { cause: e });
  const net = getNetworkErrorCode(e);
  if (net && UNREACHABLE_CODES.has(net)) return new CourierError("COURIER__RPC__UNREACHABLE", `rpc endpoint unreachable (${net})`, { net_code: net }, { cause: e });
  if (net) return new CourierError("COURIER__RPC__SERVER_ERROR", `rpc connection failed (${net})`, { net_code: net }, { cause: e });
  const status = getHttpStatusFromMessage(e);
  if (status === 429) return new CourierError("COURIER__RPC__RATE_LIMITED", "rpc endpoint rate-limited the call (HTTP 429)", { http_status: 429 }, { cause: e });
  if (status !== null && status >= 500) return new CourierError("COURIER__RPC__SERVER_ERROR", `rpc endpoint answered HTTP ${status}`, { http_status: status }, { cause: e });
  return coerceError(e);
}

/** JSON-RPC error object → CourierError. `extra` is merged into the context (endpoint, method). */
export function classifyJsonRpcError(code: number, message: string, data: unknown, extra: Record<string, unknown> = {}, cause?: unknown): CourierError {
  const ctx = { ...extra, rpc_code: code };
  const opts = cause === undefined ? undefined : { cause };
  switch (code) {
    case JSON_RPC_CODES.SEND_TRANSACTION_PREFLIGHT_FAILURE: {
      const d = (data ?? {}) as { err?: unknown; logs?: string[] | null };
      if (d.err === undefined || d.err === null) return new CourierError("COURIER__OP__TRANSACTION_FAILED", message, ctx, opts);
      const classified = classifyTransactionError(d.err, d.logs ?? null);
      return new CourierError(classified.code, classified.message, { ...ctx, ...classified.context, preflight: true }, opts);
    }
    case JSON_RPC_CODES.NODE_UNHEALTHY:
    case JSON_RPC_CODES.BLOCK_NOT_AVAILABLE:
    case JSON_RPC_CODES.BLOCK_STATUS_NOT_AVAILABLE_YET:
    case JSON_RPC_CODES.MIN_CONTEXT_SLOT_NOT_REACHED:
      return new CourierError("COURIER__RPC__NODE_BEHIND", `rpc node is behind or unhealthy: ${message}`, ctx, opts);
    case JSON_RPC_CODES.TRANSACTION_SIGNATURE_VERIFICATION_FAILURE:
    case JSON_RPC_CODES.TRANSACTION_PRECOMPILE_VERIFICATION_FAILURE:
    case JSON_RPC_CODES.TRANSACTION_SIGNATURE_LEN_MISMATCH:
      return new CourierError("COURIER__OP__TRANSACTION_FAILED", message, ctx, opts);
    case JSON_RPC_CODES.INVALID_REQUEST:
    case JSON_RPC_CODES.METHOD_NOT_FOUND:
    case JSON_RPC_CODES.INVALID_PARAMS:
    case JSON_RPC_CODES.PARSE_ERROR:
    case JSON_RPC_CODES.UNSUPPORTED_TRANSACTION_VERSION:
      return new CourierError("COURIER__RPC__INVALID_REQUEST", `rpc rejected the request: ${message}`, ctx, opts);
    case JSON_RPC_CODES.INTERNAL_ERROR:
      return new CourierError("COURIER__RPC__SERVER_ERROR", `rpc internal error: ${message}`, ctx, opts);
    default:
      return new CourierError("COURIER__UNKNOWN", `rpc error ${code}: ${message}`, ctx, opts);
  }
}

function classifyTransportFailure(f: RpcTransportFailure, message: string, cause: unknown): CourierError {
  const ctx: Record<string, unknown> = { endpoint: f.endpoint, method: f.method };
  if (f.httpStatus !== undefined) ctx.http_status = f.httpStatus;
  switch (f.kind) {
    case "json_rpc":
      return classifyJsonRpcError(f.rpcCode ?? 0, message, f.rpcData, ctx, cause);
    case "rate_limited":
      return new CourierError("COURIER__RPC__RATE_LIMITED", message, { ...ctx, retry_after_ms: f.retryAfterMs ?? null }, { cause });
    case "timeout":
      return new CourierError("COURIER__RPC__TIMEOUT", message, { ...ctx, timeout_ms: f.timeoutMs ?? null }, { cause });
    case "unreachable":
      return new CourierError("COURIER__RPC__UNREACHABLE", message, ctx, { cause });
    case "http_error":
      return new CourierError("COURIER__RPC__INVALID_REQUEST", message, ctx, { cause });
    case "network":
    case "server_error":
    case "bad_response":
      return new CourierError("COURIER__RPC__SERVER_ERROR", message, ctx, { cause });
  }
}

const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

/** The system error code of a failed fetch (`TypeError: fetch failed`, cause `{ code }`), or of the error itself. */
export function getNetworkErrorCode(e: unknown): string | null {
  for (let cur: unknown = e, depth = 0; cur && typeof cur === "object" && depth < 4; depth += 1) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return null;
}

export function isTimeoutError(e: unknown): boolean {
  if (!e || typeof e !== "object") return false;
  const name = (e as { name?: unknown }).name;
  if (name === "TimeoutError") return true;
  const cause = (e as { cause?: unknown }).cause;
  return cause !== undefined && cause !== e && isTimeoutError(cause);
}

function getJsonRpcErrorShape(e: unknown): { code: number; message: string; data: unknown } | null {
  if (!e || typeof e !== "object") return null;
  const { code, message, data } = e as { code?: unknown; message?: unknown; data?: unknown };
  if (typeof code !== "number" || typeof message !== "string") return null;
  return { code, message, data };
}

/** web3.js v1 reports HTTP failures only in the message: "429 Too Many Requests: …", "failed to get slot: 503 …". */
function getHttpStatusFromMessage(e: unknown): number | null {
  const message = e instanceof Error ? e.message : typeof e === "string" ? e : "";
  const m = /(?:^|:\s)([45]\d\d)\s[A-Z][A-Za-z ]+/.exec(message);
  return m ? Number(m[1]) : null;
}
