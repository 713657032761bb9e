/**
 * One HTTP POST of a JSON body over node:http / node:https, with keep-alive connections and a
 * deadline for the whole exchange. The JSON-RPC transport's only I/O.
 *
 * Not the global fetch: undici's fetch costs ~260 µs of CPU per request against ~40 µs here
 * (a local request/answer loop; docs/dependencies.md), and under a burst Courier's process is
 * bound by its one event loop. The transport needs none of what fetch adds (streams, CORS,
 * redirects): a status, one header and the body text.
 *
 * Errors keep Node's codes (ECONNREFUSED, ECONNRESET, …) for the transport's classification; a
 * missed deadline is an Error named "TimeoutError", as AbortSignal.timeout gives fetch.
 */
import http from "node:http";
import https from "node:https";

export interface HttpAnswer {
  status: number;
  /** The Retry-After header, if any. */
  retryAfter: string | null;
  text: string;
}

/**
 * Idle keep-alive connections close after this long: below the 5 s keep-alive timeout of Node's
 * HTTP server (the embedded localnet) and of most gateways, so a request is not written onto a
 * connection the server is closing (a reset send would be ambiguous).
 */
const IDLE_SOCKET_MS = 4_000;

const agents = {
  "http:": new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: "lifo" }),
  "https:": new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: "lifo" }),
};

export function postJson(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      reject(new TypeError("invalid RPC URL"));
      return;
    }
    const transport = target.protocol === "https:" ? https : target.protocol === "http:" ? http : null;
    if (transport === null) {
      reject(new TypeError(`unsupported RPC URL scheme ${target.protocol}`));
      return;
    }
    const payload = Buffer.from(body, "utf8");
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(e);
    };
    const req = transport.request(target, {
      method: "POST",
      agent: agents[target.protocol as "http:" | "https:"],
      headers: { "content-type": "application/json", "content-length": payload.length, ...headers },
    });
    const timer = setTimeout(() => {
      const e = new Error(`no complete answer within ${timeoutMs} ms`);
      e.name = "TimeoutError";
      fail(e);
    }, timeoutMs);
    req.on("error", fail);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", fail);
      res.on("end", () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const retryAfter = res.headers["retry-after"];
        resolve({ status: res.statusCode ?? 0, retryAfter: typeof retryAfter === "string" ? retryAfter : null, text: Buffer.concat(chunks).toString("utf8") });
      });
      // The connection closed before the body ended: the request may have been executed.
      res.on("close", () => {
        if (!res.complete) fail(Object.assign(new Error("connection closed before the answer ended"), { code: "ECONNRESET" }));
      });
    });
    req.end(payload);
  });
}
