/**
 * One HTTP endpoint of the localnet: JSON-RPC on POST, the control routes under /__localnet/,
 * its own fault settings and request counts. Several endpoints share one bank.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ZodError } from "zod";
import type { Bank } from "./bank.js";
import { type EndpointAuth, checkEndpointAuth } from "./endpoint-auth.js";
import { createFaultState, type FaultDecision, parseFaultSettings, type FaultState } from "./faults.js";
import { errorEnvelope, executeJsonRpc, getMethodNames, parseJsonRpcBody, type JsonRpcId, type ParsedBody } from "./json-rpc.js";
import { createRateLimiter } from "./rate-limit.js";
import { RPC_CODES, RpcError } from "./rpc-error.js";
import type { RpcMethodTable } from "./rpc-method.js";
import type { LocalnetLogger } from "./types.js";

export interface HttpEndpoint {
  readonly port: number;
  readonly faults: FaultState;
  readonly counts: Map<string, number>;
  /** HTTP 429 answers sent (rate_limit and rate_429 faults). */
  readonly responses429: () => number;
  close(): Promise<void>;
}

export interface HttpEndpointOptions {
  host: string;
  port: number;
  bank: Bank;
  methods: RpcMethodTable;
  seed: number;
  maxBodyBytes: number;
  /** Credentials every JSON-RPC request must carry (none by default). */
  auth?: EndpointAuth;
  logger?: LocalnetLogger;
}

const JSON_HEADERS = { "content-type": "application/json" };
/** A body this many times the limit is not worth draining: the connection is cut instead. */
const DRAIN_FACTOR = 64;

function firstId(body: ParsedBody): JsonRpcId {
  return body.kind === "single" ? body.entry.id : null;
}

export function startHttpEndpoint(opts: HttpEndpointOptions): Promise<HttpEndpoint> {
  const faults = createFaultState(opts.seed);
  const counts = new Map<string, number>();
  const limiter = createRateLimiter();
  let responses429 = 0;
  let batchRequests = 0;
  let batchesRefused = 0;
  const pending = new Set<NodeJS.Timeout>();
  const ctx = {
    bank: opts.bank,
    onInternalError: (method: string, e: unknown) => opts.logger?.warn({ method, error: String(e) }, "localnet.internal_error"),
  };
  let closed = false;

  function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, { ...JSON_HEADERS, ...headers });
    res.end(body);
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        pending.delete(t);
        resolve();
      }, ms);
      pending.add(t);
    });
  }

  function control(req: IncomingMessage, res: ServerResponse, path: string, text: string): void {
    if (path === "/__localnet/faults" && req.method === "GET") {
      send(res, 200, JSON.stringify(faults.get()));
      return;
    }
    if (path === "/__localnet/faults" && req.method === "POST") {
      try {
        faults.set(parseFaultSettings(text.trim() === "" ? {} : JSON.parse(text)));
        opts.logger?.info({ port: endpoint.port, faults: faults.get() }, "localnet.faults");
        send(res, 200, JSON.stringify(faults.get()));
        return;
      } catch (e) {
        const details = e instanceof ZodError ? e.issues.map((i) => ({ path: i.path.join("."), message: i.message })) : undefined;
        send(res, 400, JSON.stringify({ error: { code: "COURIER__VALIDATION", message: "invalid fault settings", details } }));
        return;
      }
    }
    if (path === "/__localnet/stats" && req.method === "GET") {
      send(
        res,
        200,
        JSON.stringify({
          slot: opts.bank.clock.slot,
          block_height: opts.bank.clock.height,
          transactions: opts.bank.ledger.sentCount,
          request_counts: Object.fromEntries(counts),
          requests_by_method: Object.fromEntries(counts),
          responses_429: responses429,
          batch_requests: batchRequests,
          batches_refused: batchesRefused,
        }),
      );
      return;
    }
    send(res, 404, JSON.stringify({ error: { code: "COURIER__NOT_FOUND", message: `no route ${req.method} ${path}` } }));
    return;
  }

  async function rpc(res: ServerResponse, text: string): Promise<void> {
    const body = parseJsonRpcBody(text);
    const methods = getMethodNames(body);
    for (const m of methods) counts.set(m, (counts.get(m) ?? 0) + 1);
    const decision = faults.decide();
    const settings = faults.get();
    if (body.kind === "batch") {
      batchRequests++;
      if (settings.refuse_batches) {
        batchesRefused++;
        send(res, 400, errorEnvelope(null, new RpcError(RPC_CODES.INVALID_REQUEST, "Batch requests are not supported by this endpoint")));
        return;
      }
    }
    if (decision === "outage") {
      send(res, 503, errorEnvelope(firstId(body), new RpcError(RPC_CODES.INTERNAL_ERROR, "Service unavailable (localnet outage)")));
      return;
    }
    // Retry-After 0 is sent as no header at all: some providers answer 429 without one.
    const tooMany = (retryAfterS: number) => {
      responses429++;
      const headers: Record<string, string> = retryAfterS > 0 ? { "retry-after": String(retryAfterS) } : {};
      send(res, 429, errorEnvelope(firstId(body), new RpcError(429, "Too many requests for a specific RPC call")), headers);
    };
    const forced = methods.map((m) => settings.status_by_method?.[m]).find((st) => st !== undefined);
    if (forced !== undefined) {
      if (forced === 429) tooMany(settings.retry_after_s ?? 1);
      else send(res, forced, errorEnvelope(firstId(body), new RpcError(RPC_CODES.INTERNAL_ERROR, `HTTP ${forced} (injected for this method)`)));
      return;
    }
    const admitted = limiter.admit(methods, settings.rate_limit);
    if (!admitted.ok) {
      tooMany(admitted.retryAfterS);
      return;
    }
    try {
      await answer(res, body, decision, tooMany);
    } finally {
      admitted.release();
    }
  }

  async function answer(res: ServerResponse, body: ParsedBody, decision: FaultDecision, tooMany: (retryAfterS: number) => void): Promise<void> {
    const settings = faults.get();
    if (decision === "429") {
      tooMany(settings.retry_after_s ?? 1);
      return;
    }
    if (decision === "5xx") {
      send(res, 502, errorEnvelope(firstId(body), new RpcError(RPC_CODES.INTERNAL_ERROR, "Bad gateway (injected)")));
      return;
    }
    const latency = faults.latency();
    if (latency > 0) await sleep(latency);
    if (closed) return;
    const out = executeJsonRpc(body, opts.methods, ctx);
    // The request took effect; the client never hears about it.
    if (decision === "drop") {
      res.socket?.destroy();
      return;
    }
    send(res, 200, out);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? "/").split("?")[0]!;
    if (req.method === "GET" && path === "/health") {
      send(res, 200, "ok", { "content-type": "text/plain" });
      return;
    }
    const isControl = path.startsWith("/__localnet/");
    const verdict = isControl || !opts.auth ? null : checkEndpointAuth(opts.auth, req);
    if (verdict && !verdict.ok) {
      counts.set("<unauthorized>", (counts.get("<unauthorized>") ?? 0) + 1);
      req.resume();
      send(res, 401, errorEnvelope(null, new RpcError(RPC_CODES.INVALID_REQUEST, verdict.message)), verdict.headers);
      return;
    }
    if (!isControl && req.method !== "POST") {
      req.resume();
      send(res, 405, errorEnvelope(null, new RpcError(RPC_CODES.INVALID_REQUEST, "Method not allowed: use POST")));
      return;
    }
    const declared = Number(req.headers["content-length"] ?? 0);
    const tooLarge = () => {
      counts.set("<too_large>", (counts.get("<too_large>") ?? 0) + 1);
      send(res, 413, errorEnvelope(null, new RpcError(RPC_CODES.INVALID_REQUEST, `Request body too large (max ${opts.maxBodyBytes} bytes)`)), { connection: "close" });
    };
    if (declared > opts.maxBodyBytes) {
      tooLarge();
      drain(req);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > opts.maxBodyBytes) {
        over = true;
        tooLarge();
        drain(req);
        return;
      }
      chunks.push(chunk);
    });
    req.on("error", () => undefined);
    req.on("end", () => {
      if (over) return;
      const text = Buffer.concat(chunks, size).toString("utf8");
      if (isControl) {
        control(req, res, path, text);
        return;
      }
      rpc(res, text).catch((e: unknown) => {
        opts.logger?.warn({ error: String(e) }, "localnet.internal_error");
        send(res, 500, errorEnvelope(null, new RpcError(RPC_CODES.INTERNAL_ERROR, "Internal error")));
      });
    });
  }

  function drain(req: IncomingMessage): void {
    let drained = 0;
    req.on("data", (c: Buffer) => {
      drained += c.length;
      if (drained > opts.maxBodyBytes * DRAIN_FACTOR) req.socket.destroy();
    });
    req.resume();
  }

  // Longer than clients' idle timeout (undici: 4 s), so the client always closes an idle
  // keep-alive connection first and never writes a request onto one the server just closed.
  const server: Server = createServer(handle);
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on("clientError", (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n\r\n{"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid request"},"id":null}');
    else socket.destroy();
  });

  const endpoint: HttpEndpoint = {
    port: 0,
    faults,
    counts,
    responses429: () => responses429,
    close() {
      closed = true;
      for (const t of pending) clearTimeout(t);
      pending.clear();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      (endpoint as { port: number }).port = (server.address() as AddressInfo).port;
      resolve(endpoint);
    });
  });
}
