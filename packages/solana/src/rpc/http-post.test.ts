/**
 * The transport's HTTP client against a real local server: answers, keep-alive, the deadline,
 * and connections that break before the answer ends (the request may have been executed).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { getNetworkErrorCode, isTimeoutError } from "../errors/classify.js";
import { postJson } from "./http-post.js";
import { postJsonRpc } from "./json-rpc-transport.js";

let server: Server | null = null;

async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => handler(req, res, body));
  });
  server.on("connection", () => connections++);
  await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/rpc?api-key=k`, connections: () => connections };
}

afterEach(async () => {
  const s = server;
  server = null;
  if (s === null) return;
  s.closeAllConnections();
  await new Promise((r) => s.close(r));
});

describe("postJson", () => {
  it("posts the JSON body with its headers and returns status, Retry-After and text", async () => {
    const seen: Array<{ url: string | undefined; type: string | undefined; auth: string | undefined; body: string }> = [];
    const { url } = await serve((req, res, body) => {
      seen.push({ url: req.url, type: req.headers["content-type"], auth: req.headers.authorization, body });
      res.writeHead(429, { "retry-after": "3" }).end('{"error":"slow down"}');
    });
    const answer = await postJson(url, { authorization: "Basic eDp5" }, '{"a":"ü"}', 2_000);
    expect(answer).toEqual({ status: 429, retryAfter: "3", text: '{"error":"slow down"}' });
    expect(seen).toEqual([{ url: "/rpc?api-key=k", type: "application/json", auth: "Basic eDp5", body: '{"a":"ü"}' }]);
  });

  it("keeps one connection alive across sequential requests", async () => {
    const { url, connections } = await serve((_req, res) => res.end("{}"));
    for (let i = 0; i < 5; i++) expect((await postJson(url, {}, "{}", 2_000)).status).toBe(200);
    expect(connections()).toBe(1);
  });

  it("a connection closed before any answer rejects with ECONNRESET (maybe executed: the transport's 'network')", async () => {
    const { url } = await serve((req) => req.socket.destroy());
    const e = await postJson(url, {}, "{}", 2_000).then(() => expect.unreachable("no answer was sent"), (x: unknown) => x);
    expect(getNetworkErrorCode(e)).toBe("ECONNRESET");
    const rpc = await postJsonRpc({ url, endpoint: "local", method: "sendTransaction", params: [], timeoutMs: 2_000, now: Date.now() }).catch((x: unknown) => x);
    expect(rpc).toMatchObject({ failure: { kind: "network", mayHaveReached: true } });
  });

  it("a connection closed in the middle of the body rejects, never resolves with half an answer", async () => {
    const { url } = await serve((req, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write('{"jsonrpc":"2.0","res');
      setTimeout(() => req.socket.destroy(), 20);
    });
    const e = await postJson(url, {}, "{}", 2_000).then(() => expect.unreachable("half an answer"), (x: unknown) => x);
    expect(getNetworkErrorCode(e)).toBe("ECONNRESET");
  });

  it("no answer within the deadline rejects with a TimeoutError (the transport's 'timeout')", async () => {
    const { url } = await serve(() => {});
    const started = Date.now();
    const e = await postJson(url, {}, "{}", 150).then(() => expect.unreachable("nothing was answered"), (x: unknown) => x);
    expect(isTimeoutError(e)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    const rpc = await postJsonRpc({ url, endpoint: "local", method: "getSlot", params: [], timeoutMs: 150, now: Date.now() }).catch((x: unknown) => x);
    expect(rpc).toMatchObject({ failure: { kind: "timeout", mayHaveReached: true } });
  });

  it("refuses an unparseable URL or another scheme without echoing the URL", async () => {
    for (const url of ["not a url/secret-key", "ftp://127.0.0.1/secret-key"]) {
      const e = await postJson(url, {}, "{}", 1_000).then(() => expect.unreachable("refused"), (x: unknown) => x);
      expect(e).toBeInstanceOf(TypeError);
      expect(String((e as Error).message)).not.toContain("secret-key");
    }
  });
});
