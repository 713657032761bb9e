/**
 * Admin hardening (issue 14, item 4), over a real HTTP server: the Host allowlist answers 421
 * on every route, a cross-origin state change carrying a cookie is refused and changes nothing,
 * and an early 413 leaves the keep-alive connection usable (Connection: close, no reset).
 */
import { request as httpRequest, Agent } from "node:http";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type ServedAdmin, serveAdmin } from "../serve.js";
import { type AdminFixture, createAdminFixture } from "../../test/admin-fixture.js";

const TOKEN = "t".repeat(32);

/** A raw HTTP/1.1 exchange so the Host header is exactly what a rebinding page would send. */
function rawRequest(port: number, head: string, body = ""): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let data = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk) => {
      data += chunk;
    });
    socket.on("error", reject);
    socket.on("end", () => {
      const [headers = "", rest = ""] = data.split("\r\n\r\n");
      resolve({ status: Number(headers.split(" ")[1]), headers, body: rest });
    });
    socket.write(`${head}\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  });
}

describe("admin hardening", () => {
  let fx: AdminFixture | undefined;
  let served: ServedAdmin | undefined;
  afterEach(async () => {
    await served?.close();
    await fx?.close();
    served = undefined;
  });

  it("answers 421 to a Host it does not serve, on every route, and serves the allowed names", async () => {
    fx = await createAdminFixture({ allowedHosts: ["courier.internal"], bindHost: "127.0.0.1" });
    served = await serveAdmin(fx.app, { host: "127.0.0.1", port: 0 });
    const routes = [
      "GET /healthz",
      "GET /readyz",
      "GET /metrics",
      "GET /admin/api/courier/stats",
      "GET /admin/api/courier/ops",
      "POST /admin/api/courier/pause",
      "GET /admin/ui",
      "GET /admin/ui/ops",
      "GET /nowhere",
    ];
    for (const route of routes) {
      const res = await rawRequest(served.port, `${route} HTTP/1.1\r\nHost: attacker.example:${served.port}`);
      expect(res.status, route).toBe(421);
      expect(JSON.parse(res.body).error.code, route).toBe("COURIER__HTTP__MISDIRECTED");
    }
    expect((await fx.store.getControl()).paused).toBe(false);
    for (const host of [`localhost:${served.port}`, `127.0.0.1:${served.port}`, "courier.internal", "Courier.Internal", "courier.internal:9"]) {
      const res = await rawRequest(served.port, `GET /healthz HTTP/1.1\r\nHost: ${host}`);
      expect(res.status, host).toBe(200);
    }
  });

  it("refuses a cross-origin POST that carries a cookie, with or without a token, and changes nothing", async () => {
    for (const token of [null, TOKEN]) {
      fx = await createAdminFixture({ token });
      served = await serveAdmin(fx.app, { host: "127.0.0.1", port: 0 });
      const host = `127.0.0.1:${served.port}`;
      const auth = token ? `\r\nAuthorization: Bearer ${token}` : "";
      for (const path of ["/admin/api/courier/pause", "/admin/ui/crank/pause"]) {
        const res = await rawRequest(
          served.port,
          `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://attacker.example\r\nCookie: courier_session=x\r\nContent-Type: application/x-www-form-urlencoded${auth}`,
        );
        expect(res.status, path).toBe(403);
        expect(JSON.parse(res.body).error.code).toBe("COURIER__HTTP__FORBIDDEN");
        // a cookie without any Origin is refused too
        const bare = await rawRequest(served.port, `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nCookie: courier_session=x${auth}`);
        expect(bare.status, path).toBe(403);
      }
      expect((await fx.store.getControl()).paused).toBe(false);
      // the same request from the service's own origin goes through (API client with its token)
      const same = await rawRequest(served.port, `POST /admin/api/courier/pause HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://${host}${auth}`);
      expect(same.status).toBe(200);
      expect((await fx.store.getControl()).paused).toBe(true);
      await served.close();
      await fx.close();
      served = undefined;
      fx = undefined;
    }
  });

  it("a 3 MB body gets 413 with Connection: close, and the next request on the client's keep-alive agent is answered cleanly", async () => {
    fx = await createAdminFixture({ token: TOKEN });
    served = await serveAdmin(fx.app, { host: "127.0.0.1", port: 0 });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method: string, path: string, body?: Buffer, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; connection: string | undefined; text: string }>((resolve, reject) => {
        const req = httpRequest(
          { host: "127.0.0.1", port: served?.port, method, path, agent, headers: { authorization: `Bearer ${TOKEN}`, ...headers } },
          (res) => {
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (c) => {
              text += c;
            });
            res.on("end", () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, text }));
          },
        );
        req.on("error", reject);
        if (body) req.end(body);
        else req.end();
      });
    try {
      for (const auth of [{}, { authorization: "Bearer wrong" }] as Array<Record<string, string>>) {
        const big = await send("POST", "/admin/api/courier/ops", Buffer.alloc(3 * 1024 * 1024, 0x61), { "content-type": "application/json", ...auth });
        expect([413, 401]).toContain(big.status);
        expect(big.connection).toBe("close");
        const next = await send("GET", "/admin/api/courier/stats");
        expect(next.status).toBe(200);
        expect(JSON.parse(next.text).state).toBe("running");
      }
    } finally {
      agent.destroy();
    }
  });
});
