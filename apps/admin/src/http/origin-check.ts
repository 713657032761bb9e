/**
 * Cross-site request refusal for state changes. Browsers send `Origin` on every POST; a request
 * from another origin is refused whatever it carries, and a request that carries a cookie must
 * prove its origin (a cookie is what a forged cross-site request would ride on). Clients
 * without a browser (curl, the CLI) send neither and are unaffected.
 */
import { CourierError } from "@courier/agent";
import type { MiddlewareHandler } from "hono";
import { getRequestHost } from "./host-allowlist.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** True when `origin` (an Origin header) names the very host:port the request was sent to. */
export function isSameOrigin(origin: string, requestHost: string): boolean {
  if (origin === "null") return false;
  try {
    const url = new URL(origin);
    return (url.protocol === "http:" || url.protocol === "https:") && url.host === new URL(`http://${requestHost}`).host;
  } catch {
    return false;
  }
}

export function createOriginCheck(): MiddlewareHandler {
  return async (c, next) => {
    if (!SAFE_METHODS.has(c.req.method)) {
      const origin = c.req.header("origin");
      const host = getRequestHost(c.req.raw);
      if (origin !== undefined && !isSameOrigin(origin, host)) throw forbidden("a state change from another origin is refused");
      if (origin === undefined && c.req.header("cookie") !== undefined) {
        if (c.req.header("sec-fetch-site") !== "same-origin") throw forbidden("a state change carrying a cookie must come with its Origin");
      }
      if (c.req.header("sec-fetch-site") === "cross-site") throw forbidden("a state change from another site is refused");
    }
    await next();
  };
}

function forbidden(message: string): CourierError {
  return new CourierError("COURIER__HTTP__FORBIDDEN", message);
}
