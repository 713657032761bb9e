/**
 * Errors typed by code. Every code has a fixed outcome class, so a caller decides what to do
 * from the code alone. Codes are never reused for a different meaning.
 * Every `catch` in Courier goes through `coerceError`.
 */
import type { Outcome } from "./types.js";

export const ERROR_CODES = {
  // validation and operator input
  COURIER__VALIDATION: "permanent",
  COURIER__NOT_FOUND: "permanent",
  COURIER__CONFLICT: "permanent",
  COURIER__CONFIG: "permanent",
  COURIER__ACTION__UNKNOWN: "permanent",
  COURIER__ACTION__INVALID_PARAMS: "permanent",
  /** An idempotency_key reused with a different action, params or schedule. */
  COURIER__OP__IDEMPOTENCY_CONFLICT: "permanent",
  /** Cancel refused: the op's transaction is signed and may still land; its status follows the chain. */
  COURIER__OP__IN_FLIGHT: "permanent",
  // op execution
  COURIER__OP__SPEND_CAP: "permanent",
  COURIER__OP__DAILY_SPEND_CAP: "permanent",
  COURIER__OP__FEE_CEILING: "permanent",
  COURIER__OP__INSUFFICIENT_FUNDS: "permanent",
  COURIER__OP__PROGRAM_ERROR: "permanent",
  COURIER__OP__TRANSACTION_FAILED: "permanent",
  COURIER__OP__ACCOUNT_NOT_FOUND: "permanent",
  /** The op has no valid owner signature, or no longer says what its owner signed (docs/security.md). */
  COURIER__OP__INTENT_INVALID: "permanent",
  /** A transfer would create a recipient account with less than the rent-exempt minimum. */
  COURIER__OP__BELOW_RENT_EXEMPT_MINIMUM: "permanent",
  COURIER__OP__EXECUTOR_THREW: "retryable",
  COURIER__OP__LEASE_LOST: "ambiguous",
  /** An attempt interrupted by a graceful shutdown: it may have acted, the next owner resolves it. */
  COURIER__OP__SHUTDOWN: "ambiguous",
  // rpc
  COURIER__RPC__RATE_LIMITED: "retryable",
  COURIER__RPC__SERVER_ERROR: "retryable",
  COURIER__RPC__TIMEOUT: "retryable",
  COURIER__RPC__NODE_BEHIND: "retryable",
  COURIER__RPC__BLOCKHASH_NOT_FOUND: "retryable",
  COURIER__RPC__BLOCKHASH_EXPIRED: "retryable",
  COURIER__RPC__ALL_ENDPOINTS_DOWN: "infra",
  /** Every endpoint failed the call (5xx, timeout, unreachable, node behind): an outage, not the op's fault. */
  COURIER__RPC__ALL_ENDPOINTS_FAILING: "infra",
  /** Every endpoint is rate-limited (429) or over Courier's own request budget: wait, never the op's fault. */
  COURIER__RPC__BACKPRESSURE: "infra",
  COURIER__RPC__SEND_AMBIGUOUS: "ambiguous",
  COURIER__RPC__UNCONFIRMED: "ambiguous",
  /** The node rejected the request itself (invalid params, unknown method, malformed transaction). */
  COURIER__RPC__INVALID_REQUEST: "permanent",
  /** The signature was processed before: the transaction landed earlier; look up its status. */
  COURIER__RPC__ALREADY_PROCESSED: "ambiguous",
  /** Nothing reached the node (connection refused, DNS): safe to try again or elsewhere. */
  COURIER__RPC__UNREACHABLE: "retryable",
  /** The cluster refused for load reasons (account in use, block cost limits). */
  COURIER__RPC__CLUSTER_BUSY: "retryable",
  // store
  COURIER__STORE__UNAVAILABLE: "infra",
  COURIER__STORE__BUSY: "infra",
  COURIER__STORE__CORRUPT: "infra",
  // keys
  COURIER__KEY__UNREADABLE: "permanent",
  COURIER__KEY__INSECURE_PERMISSIONS: "permanent",
  // admin HTTP layer (apps/admin)
  /** Missing or wrong bearer token. */
  COURIER__HTTP__UNAUTHORIZED: "permanent",
  /** Request body larger than the admin service accepts. */
  COURIER__HTTP__PAYLOAD_TOO_LARGE: "permanent",
  /** A request body that is not application/json. */
  COURIER__HTTP__UNSUPPORTED_MEDIA_TYPE: "permanent",
  /** A `Host` header the admin service does not answer for (DNS rebinding guard): 421. */
  COURIER__HTTP__MISDIRECTED: "permanent",
  /** A state change from another origin, or without the dashboard's form token: 403. */
  COURIER__HTTP__FORBIDDEN: "permanent",
  /** An unexpected failure inside the admin service (details are logged, never returned). */
  COURIER__HTTP__INTERNAL: "retryable",
  // anything not classified
  COURIER__UNKNOWN: "retryable",
} as const satisfies Record<string, Outcome>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class CourierError<C extends ErrorCode = ErrorCode> extends Error {
  override readonly name = "CourierError";
  readonly code: C;
  readonly outcome: Outcome;
  readonly context: Record<string, unknown>;

  constructor(code: C, message: string, context: Record<string, unknown> = {}, options?: { cause?: unknown; outcome?: Outcome }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.outcome = options?.outcome ?? ERROR_CODES[code];
    this.context = context;
  }

  /** Serializable form for logs, responses and the attempt history (no stack, no cause). */
  toJSON(): { code: C; message: string; context: Record<string, unknown> } {
    return { code: this.code, message: this.message, context: this.context };
  }
}

export function isCourierError<C extends ErrorCode>(e: unknown, code?: C): e is CourierError<C> {
  return e instanceof CourierError && (code === undefined || e.code === code);
}

/** Turn anything thrown into a CourierError. Unknown errors are retryable (transient until proven otherwise). */
export function coerceError(e: unknown, fallback: ErrorCode = "COURIER__UNKNOWN"): CourierError {
  if (e instanceof CourierError) return e;
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^SQLITE_(BUSY|LOCKED)/.test(code)) {
      return new CourierError("COURIER__STORE__BUSY", e.message, { sqlite: code }, { cause: e });
    }
    if (typeof code === "string" && /^SQLITE_(CORRUPT|NOTADB)/.test(code)) {
      return new CourierError("COURIER__STORE__CORRUPT", e.message, { sqlite: code }, { cause: e });
    }
    if (typeof code === "string" && /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN)/.test(code)) {
      return new CourierError("COURIER__STORE__UNAVAILABLE", e.message, { sqlite: code }, { cause: e });
    }
    return new CourierError(fallback, e.message, {}, { cause: e });
  }
  return new CourierError(fallback, typeof e === "string" ? e : safeStringify(e));
}

function safeStringify(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
