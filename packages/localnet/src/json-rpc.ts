/**
 * JSON-RPC 2.0 framing: parsing, batches, id echo, error envelopes. Request ids are echoed
 * exactly as sent (web3.js v1 sends UUID strings). A request without an id is answered with
 * `id: null` rather than silently, so every request gets a well-formed answer.
 */
import { RPC_CODES, RpcError } from "./rpc-error.js";
import type { RpcContext, RpcMethodTable } from "./rpc-method.js";

export type JsonRpcId = string | number | null;

export interface JsonRpcEntry {
  /** Method name when the entry is a valid request, else null. */
  method: string | null;
  id: JsonRpcId;
  params: unknown[];
  /** Set when the entry is not a valid request. */
  invalid: RpcError | null;
}

export type ParsedBody =
  | { kind: "error"; error: RpcError }
  | { kind: "single"; entry: JsonRpcEntry }
  | { kind: "batch"; entries: JsonRpcEntry[] };

function toEntry(raw: unknown): JsonRpcEntry {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { method: null, id: null, params: [], invalid: new RpcError(RPC_CODES.INVALID_REQUEST, "Invalid request") };
  }
  const r = raw as Record<string, unknown>;
  const id = r.id;
  const validId = id === undefined || id === null || typeof id === "string" || (typeof id === "number" && Number.isFinite(id));
  const echoId: JsonRpcId = validId ? ((id as JsonRpcId | undefined) ?? null) : null;
  if (!validId || r.jsonrpc !== "2.0" || typeof r.method !== "string") {
    return { method: null, id: echoId, params: [], invalid: new RpcError(RPC_CODES.INVALID_REQUEST, "Invalid request") };
  }
  const params = r.params;
  if (params !== undefined && params !== null && !Array.isArray(params)) {
    return { method: r.method, id: echoId, params: [], invalid: new RpcError(RPC_CODES.INVALID_PARAMS, "Invalid params: invalid type: map, expected a sequence.") };
  }
  return { method: r.method, id: echoId, params: (params as unknown[] | undefined) ?? [], invalid: null };
}

export function parseJsonRpcBody(text: string): ParsedBody {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { kind: "error", error: new RpcError(RPC_CODES.PARSE_ERROR, "Parse error") };
  }
  if (Array.isArray(raw)) {
    if (raw.length === 0) return { kind: "error", error: new RpcError(RPC_CODES.INVALID_REQUEST, "Invalid request") };
    return { kind: "batch", entries: raw.map(toEntry) };
  }
  return { kind: "single", entry: toEntry(raw) };
}

/** Method names for request counting (invalid entries count as "<invalid>"). */
export function getMethodNames(body: ParsedBody): string[] {
  if (body.kind === "error") return ["<parse_error>"];
  const entries = body.kind === "single" ? [body.entry] : body.entries;
  return entries.map((e) => e.method ?? "<invalid>");
}

export function errorEnvelope(id: JsonRpcId, error: RpcError): string {
  return `{"jsonrpc":"2.0","error":${JSON.stringify(error.toJSON())},"id":${JSON.stringify(id)}}`;
}

function runEntry(entry: JsonRpcEntry, methods: RpcMethodTable, ctx: RpcContext): string {
  if (entry.invalid !== null) return errorEnvelope(entry.id, entry.invalid);
  const method = Object.hasOwn(methods, entry.method!) ? methods[entry.method!] : undefined;
  if (method === undefined) return errorEnvelope(entry.id, new RpcError(RPC_CODES.METHOD_NOT_FOUND, "Method not found"));
  let result: unknown;
  try {
    result = method(entry.params, ctx);
  } catch (e) {
    if (e instanceof RpcError) return errorEnvelope(entry.id, e);
    ctx.onInternalError?.(entry.method!, e);
    return errorEnvelope(entry.id, new RpcError(RPC_CODES.INTERNAL_ERROR, "Internal error"));
  }
  return `{"jsonrpc":"2.0","result":${JSON.stringify(result ?? null)},"id":${JSON.stringify(entry.id)}}`;
}

/** Execute a parsed body and return the response text. */
export function executeJsonRpc(body: ParsedBody, methods: RpcMethodTable, ctx: RpcContext): string {
  if (body.kind === "error") return errorEnvelope(null, body.error);
  if (body.kind === "single") return runEntry(body.entry, methods, ctx);
  return `[${body.entries.map((e) => runEntry(e, methods, ctx)).join(",")}]`;
}
