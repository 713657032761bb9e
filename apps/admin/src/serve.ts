/**
 * Serving the admin app over HTTP with @hono/node-server, and the bind-safety rule: the admin
 * API can pause the crank and schedule payments, so it never listens beyond loopback without a
 * bearer token.
 */
import type { Server } from "node:http";
import { isIP } from "node:net";
import { CourierError, coerceError } from "@courier/agent";
import { createAdaptorServer } from "@hono/node-server";
import type { Hono } from "hono";

export interface ServedAdmin {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** True for 127.0.0.0/8, ::1 (and its IPv4-mapped forms) and "localhost". */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (h === "localhost") return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (isIP(h) === 6) {
    if (h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
    const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h) ?? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    return mapped !== null && (mapped[1] as string).startsWith("127.");
  }
  return false;
}

/** Throws COURIER__CONFIG when the host is not loopback and no token is set. */
export function assertSafeBind(args: { host: string; token?: string | null }): void {
  if (isLoopbackHost(args.host)) return;
  if (typeof args.token === "string" && args.token.length > 0) return;
  throw new CourierError("COURIER__CONFIG", "COURIER_ADMIN_TOKEN is required when COURIER_ADMIN_HOST is not loopback", {
    field: "COURIER_ADMIN_TOKEN",
    host: args.host,
  });
}

/** Listen on `host:port` (port 0 picks a free one); resolves once listening. */
export function serveAdmin(app: Hono, opts: { host: string; port: number }): Promise<ServedAdmin> {
  const server = createAdaptorServer({ fetch: app.fetch, hostname: opts.host, port: opts.port }) as Server;
  return new Promise((resolve, reject) => {
    const onError = (e: unknown) => {
      const err = coerceError(e);
      reject(
        new CourierError("COURIER__CONFIG", `admin service cannot listen on ${opts.host}:${opts.port}: ${err.message}`, {
          field: "COURIER_ADMIN_PORT",
          host: opts.host,
          port: opts.port,
        }),
      );
    };
    server.once("error", onError);
    server.listen(opts.port, opts.host, () => {
      server.off("error", onError);
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : opts.port;
      const hostForUrl = isIP(opts.host) === 6 ? `[${opts.host}]` : opts.host;
      resolve({ url: `http://${hostForUrl}:${port}`, port, close: () => closeServer(server) });
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    // keep-alive connections would hold close() open until they time out
    server.closeIdleConnections();
    server.closeAllConnections();
  });
}
