/**
 * Bearer-token check for /admin/* and /metrics. Both sides are hashed to SHA-256 first so
 * `timingSafeEqual` always compares equal-length buffers: neither the token's bytes nor its
 * length leak through response timing.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { CourierError } from "@courier/agent";
import type { MiddlewareHandler } from "hono";

export function isTokenMatch(presented: string, expected: string): boolean {
  const a = createHash("sha256").update(presented, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function getBearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match ? (match[1] as string) : null;
}

export function createBearerAuth(token: string): MiddlewareHandler {
  return async (c, next) => {
    const presented = getBearerToken(c.req.header("authorization"));
    if (presented === null || !isTokenMatch(presented, token)) {
      c.header("WWW-Authenticate", 'Bearer realm="courier-admin"');
      throw new CourierError("COURIER__HTTP__UNAUTHORIZED", "missing or invalid bearer token");
    }
    await next();
  };
}
