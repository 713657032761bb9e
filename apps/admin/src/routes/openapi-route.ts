/**
 * GET /admin/api/openapi.json: the OpenAPI 3.1 document (openapi/document.ts), generated from
 * the zod schemas the handlers validate with and answer in, so it cannot drift from the code.
 */
import type { Hono } from "hono";
import { createOpenApiDocument, getServers, type JsonSchema } from "../openapi/document.js";
import type { AdminDeps } from "../types.js";

export { createOpenApiDocument };

export function registerOpenApiRoute(app: Hono, deps: AdminDeps): void {
  let cached: JsonSchema | null = null;
  app.get("/admin/api/openapi.json", (c) => {
    // built on first request: actions may be registered after the app is created
    cached ??= createOpenApiDocument(deps);
    // the server is the origin the client reached (its Host passed the allowlist)
    return c.json({ ...cached, servers: getServers(new URL(c.req.url).origin) });
  });
}
