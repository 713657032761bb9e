/**
 * The `Host` allowlist: a DNS-rebinding page in an operator's browser reaches the loopback admin
 * service under the attacker's host name, so every route answers only for the names the
 * service was configured with (bind address, `localhost`, `127.0.0.1`,
 * COURIER_ADMIN_ALLOWED_HOSTS), compared without the port. Others get 421 Misdirected Request.
 */
import { CourierError } from "@courier/agent";
import type { MiddlewareHandler } from "hono";

export const DEFAULT_ALLOWED_HOSTS: readonly string[] = ["localhost", "127.0.0.1", "::1"];

/** A host name as compared: lower case, IPv6 brackets and trailing dot removed, no port. */
export function normalizeHostName(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith("[")) {
    const end = h.indexOf("]");
    h = end > 0 ? h.slice(1, end) : h.slice(1);
  } else {
    // "name:port" (IPv6 literals always come bracketed in a Host header)
    const colon = h.indexOf(":");
    if (colon >= 0 && h.indexOf(":", colon + 1) < 0) h = h.slice(0, colon);
  }
  return h.endsWith(".") ? h.slice(0, -1) : h;
}

/** The set of host names accepted: the defaults, the bind address (unless a wildcard) and extras. */
export function getAllowedHosts(args: { bindHost?: string | null; extra?: readonly string[] }): Set<string> {
  const names = [...DEFAULT_ALLOWED_HOSTS, ...(args.extra ?? [])];
  if (args.bindHost) names.push(args.bindHost);
  return new Set(names.map(normalizeHostName).filter((h) => h.length > 0 && h !== "0.0.0.0" && h !== "::"));
}

/**
 * The request's host: the `Host` header when present (what a browser sent), else the URL's
 * host (an in-process `app.request`).
 */
export function getRequestHost(req: Request): string {
  const header = req.headers.get("host");
  if (header !== null) return header;
  try {
    return new URL(req.url).host;
  } catch {
    return "";
  }
}

export function createHostAllowlist(allowed: ReadonlySet<string>): MiddlewareHandler {
  return async (c, next) => {
    const host = normalizeHostName(getRequestHost(c.req.raw));
    if (!allowed.has(host)) {
      throw new CourierError("COURIER__HTTP__MISDIRECTED", "this admin service does not answer for that Host (see COURIER_ADMIN_ALLOWED_HOSTS)");
    }
    await next();
  };
}
