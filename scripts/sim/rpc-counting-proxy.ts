/**
 * A loopback JSON-RPC proxy that counts requests by method, for crank processes on a remote
 * cluster: the localnet counts what it receives, a remote cluster does not tell, and a child
 * process's pool counters are out of reach. Bodies, status codes and Retry-After pass through
 * unchanged, so the crank sees the cluster's own answers (429s and 5xx included).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { coerceError } from "./workspace.js";

export interface RpcCountingProxy {
  /** http://127.0.0.1:<port> */
  url: string;
  counts(): Record<string, number>;
  close(): Promise<void>;
}

const UPSTREAM_TIMEOUT_MS = 30_000;
const MAX_BODY_BYTES = 1_000_000;

export async function startRpcCountingProxy(upstream: string): Promise<RpcCountingProxy> {
  const counts: Record<string, number> = {};
  const count = (method: string) => {
    counts[method] = (counts[method] ?? 0) + 1;
  };
  const server = createServer((req, res) => {
    void forward(req, res).catch((e: unknown) => {
      // The crank's pool classifies a 502 like any gateway failure.
      if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32603, message: `sim proxy: ${coerceError(e).message}` } }));
    });
  });

  async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) throw new Error("request body too large");
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks);
    countMethods(body, count);
    const upstreamRes = await fetch(upstream, {
      method: req.method ?? "POST",
      headers: { "content-type": req.headers["content-type"] ?? "application/json" },
      ...(req.method === "GET" || req.method === "HEAD" ? {} : { body }),
      signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
    });
    const headers: Record<string, string> = { "content-type": upstreamRes.headers.get("content-type") ?? "application/json" };
    const retryAfter = upstreamRes.headers.get("retry-after");
    if (retryAfter) headers["retry-after"] = retryAfter;
    res.writeHead(upstreamRes.status, headers);
    res.end(Buffer.from(await upstreamRes.arrayBuffer()));
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => ({ ...counts }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Count each JSON-RPC request of a body (a batch counts each entry). */
function countMethods(body: Buffer, count: (method: string) => void): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    count("<parse_error>");
    return;
  }
  for (const entry of Array.isArray(parsed) ? parsed : [parsed]) {
    const method = (entry as { method?: unknown } | null)?.method;
    count(typeof method === "string" ? method : "<invalid>");
  }
}
