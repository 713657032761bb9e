/**
 * The one place where Courier error codes become HTTP statuses and JSON error bodies
 * (`{error: {code, message, details}}`). Anything that is not a known client error becomes a
 * 500 with a generic message: internals, stacks and causes never reach a response.
 */
import { CourierError, type ErrorCode } from "@courier/agent";

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** HTTP status for each code a client can cause or act upon; every other code is a 500. */
const STATUS_BY_CODE: Partial<Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 415 | 421 | 503>> = {
  COURIER__VALIDATION: 400,
  COURIER__ACTION__UNKNOWN: 400,
  COURIER__ACTION__INVALID_PARAMS: 400,
  COURIER__OP__INTENT_INVALID: 400,
  COURIER__HTTP__UNAUTHORIZED: 401,
  COURIER__HTTP__FORBIDDEN: 403,
  COURIER__NOT_FOUND: 404,
  COURIER__CONFLICT: 409,
  COURIER__OP__IDEMPOTENCY_CONFLICT: 409,
  COURIER__OP__IN_FLIGHT: 409,
  COURIER__HTTP__PAYLOAD_TOO_LARGE: 413,
  COURIER__HTTP__UNSUPPORTED_MEDIA_TYPE: 415,
  COURIER__HTTP__MISDIRECTED: 421,
  // the store is shared and may be briefly locked by another process: worth a retry
  COURIER__STORE__BUSY: 503,
  COURIER__STORE__UNAVAILABLE: 503,
  // safe mode: the process refuses writes until the operator restores a backup
  COURIER__STORE__CORRUPT: 503,
};

/**
 * What a 503 says for each store code: which safe mode (if any) and what to do. Fixed texts:
 * the underlying error names files and SQLite internals, which stay in the log.
 */
const UNAVAILABLE_MESSAGES: Partial<Record<ErrorCode, string>> = {
  COURIER__STORE__BUSY: "the store is busy (locked by another process); try again shortly",
  COURIER__STORE__UNAVAILABLE:
    "store safe mode: the store cannot be written (disk full, read-only file or directory, or I/O error); free disk space or fix the permissions named by GET /readyz, then retry (writes resume by themselves)",
  COURIER__STORE__CORRUPT:
    "store safe mode: the store cannot be trusted with writes (corrupt or replaced file); stop courier and restore the last good backup with `courier restore FILE` (GET /readyz says why)",
};

/** Context keys that are safe and useful to return to a client. */
const DETAIL_KEYS = ["field", "reason", "issues", "action", "known", "status", "id", "limit", "max_bytes", "differs", "signatures"] as const;

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 421 | 500 | 503;

export function getHttpStatus(code: string): ErrorStatus {
  return STATUS_BY_CODE[code as ErrorCode] ?? 500;
}

/** Status and body for `err`; a 500 body is generic whatever the error says. */
export function toErrorResponse(err: CourierError): { status: ErrorStatus; body: ErrorBody } {
  const status = getHttpStatus(err.code);
  if (status === 500) {
    return { status, body: { error: { code: "COURIER__HTTP__INTERNAL", message: "internal error (logged on the server)" } } };
  }
  if (status === 503) {
    // A safe-mode refusal is written for the operator (the mode, the reason kind, the fix).
    const message = err.context.safe_mode === true ? err.message : (UNAVAILABLE_MESSAGES[err.code] ?? "the store is unavailable; try again shortly");
    return { status, body: { error: { code: err.code, message } } };
  }
  const details: Record<string, unknown> = {};
  for (const key of DETAIL_KEYS) {
    if (err.context[key] !== undefined) details[key] = err.context[key];
  }
  const body: ErrorBody = { error: { code: err.code, message: err.message } };
  if (Object.keys(details).length > 0) body.error.details = details;
  return { status, body };
}

export function validationError(field: string, message: string, extra: Record<string, unknown> = {}): CourierError {
  return new CourierError("COURIER__VALIDATION", `${field}: ${message}`, { field, ...extra });
}
