/**
 * An early refusal (401, 413, 421, …) answers before the request body is read. Left on a
 * keep-alive connection, those unread bytes would be parsed as the next request and break it,
 * so such answers say `Connection: close` and the client opens a fresh connection.
 */
import type { MiddlewareHandler } from "hono";

export function hasRequestBody(req: Request): boolean {
  const length = req.headers.get("content-length");
  if (length !== null) return length.trim() !== "0";
  return req.headers.get("transfer-encoding") !== null;
}

export function createCloseOnUnreadBody(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.res.status >= 400 && hasRequestBody(c.req.raw) && !c.req.raw.bodyUsed) {
      c.header("Connection", "close");
    }
  };
}
