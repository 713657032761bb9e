/**
 * What went wrong on the wire for one JSON-RPC request, before classification. The pool throws
 * it from its transport and `classifyRpcError` turns it into a CourierError. `mayHaveReached`
 * says whether the node may have received the request: it decides whether a failed send is
 * ambiguous (the transaction may have landed) or plainly not sent.
 */
export type RpcTransportFailureKind =
  /** Connection refused / DNS failure: nothing was written. */
  | "unreachable"
  /** Connection reset or closed after the request was written. */
  | "network"
  /** No complete answer within the call's timeout. */
  | "timeout"
  /** HTTP 429. */
  | "rate_limited"
  /** HTTP 5xx. */
  | "server_error"
  /** Another non-2xx HTTP status without a JSON-RPC error body. */
  | "http_error"
  /** A 2xx answer that is not a JSON-RPC response. */
  | "bad_response"
  /** A well-formed JSON-RPC error object. */
  | "json_rpc";

export interface RpcTransportFailure {
  kind: RpcTransportFailureKind;
  method: string;
  /** The endpoint, already redacted. */
  endpoint: string;
  mayHaveReached: boolean;
  httpStatus?: number;
  retryAfterMs?: number;
  rpcCode?: number;
  rpcData?: unknown;
  timeoutMs?: number;
}

export class RpcTransportError extends Error {
  override readonly name = "RpcTransportError";
  readonly failure: RpcTransportFailure;

  constructor(message: string, failure: RpcTransportFailure, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.failure = failure;
  }
}

export function isRpcTransportError(e: unknown): e is RpcTransportError {
  return e instanceof RpcTransportError;
}

/** Failures that count against an endpoint's circuit breaker: the endpoint itself is failing. */
export function isInfraFailure(kind: RpcTransportFailureKind): boolean {
  return kind === "unreachable" || kind === "network" || kind === "timeout" || kind === "server_error" || kind === "bad_response";
}
