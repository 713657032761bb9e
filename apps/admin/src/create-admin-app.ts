/**
 * The admin service as a Hono app, built from narrow dependencies so it can be served by the
 * courier process or exercised in-process with `app.fetch` in tests.
 *
 * Middleware order matters: auth runs before the body limit so an unauthenticated client never
 * gets its body read; errors from every layer go through one handler that maps codes to statuses
 * and never returns a stack.
 */
import { CourierError, coerceError } from "@courier/agent";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { createBearerAuth } from "./http/bearer-auth.js";
import { createCloseOnUnreadBody } from "./http/close-on-unread-body.js";
import { type ErrorStatus, toErrorResponse } from "./http/error-response.js";
import { createHostAllowlist, getAllowedHosts } from "./http/host-allowlist.js";
import { createOriginCheck } from "./http/origin-check.js";
import { createAdminMetrics } from "./metrics/create-admin-metrics.js";
import { registerBulkRoute } from "./routes/bulk-route.js";
import { registerControlRoutes } from "./routes/control-routes.js";
import { registerHealthRoutes } from "./routes/health-routes.js";
import { registerMetricsRoute } from "./routes/metrics-route.js";
import { registerOpenApiRoute } from "./routes/openapi-route.js";
import { registerOpsRoutes } from "./routes/ops-routes.js";
import { registerStatsRoute } from "./routes/stats-route.js";
import type { AdminDeps } from "./types.js";
import { isDashboardPath } from "./ui/paths.js";
import { registerDashboard } from "./ui/register-dashboard.js";

export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;

export function createAdminApp(deps: AdminDeps): Hono {
  assertDeps(deps);
  const app = new Hono();
  const metrics = deps.metrics ?? createAdminMetrics();
  const maxBytes = deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;

  app.use("*", async (c, next) => {
    await next();
    // admin answers describe live state: never cache them; never let a browser sniff them
    c.header("Cache-Control", "no-store");
    c.header("X-Content-Type-Options", "nosniff");
  });
  app.use("*", createCloseOnUnreadBody());
  app.use("*", createHostAllowlist(getAllowedHosts({ bindHost: deps.bindHost, extra: deps.allowedHosts })));
  app.use("*", createOriginCheck());

  if (deps.token) {
    const auth = createBearerAuth(deps.token);
    // the dashboard signs in with a session cookie (ui/session.ts); the JSON API keeps the bearer
    app.use("/admin/*", (c, next) => (isDashboardPath(c.req.path) ? next() : auth(c, next)));
    app.use("/metrics", auth);
  }

  app.use(
    "/admin/*",
    bodyLimit({
      maxSize: maxBytes,
      onError: () => {
        throw new CourierError("COURIER__HTTP__PAYLOAD_TOO_LARGE", `request body is larger than ${maxBytes} bytes`, {
          max_bytes: maxBytes,
        });
      },
    }),
  );

  registerHealthRoutes(app, deps);
  registerMetricsRoute(app, deps, metrics);
  registerStatsRoute(app, deps);
  registerBulkRoute(app, deps);
  registerOpsRoutes(app, deps);
  registerControlRoutes(app, deps);
  registerOpenApiRoute(app, deps);
  registerDashboard(app, deps);

  app.notFound((c) =>
    c.json({ error: { code: "COURIER__NOT_FOUND", message: `no route for ${c.req.method} ${c.req.path.slice(0, 200)}` } }, 404),
  );

  app.onError((err, c) => {
    const courierError = err instanceof HTTPException ? fromHttpException(err) : coerceError(err);
    const { status, body } = toErrorResponse(courierError);
    if (status >= 500) {
      deps.logger?.error(
        { err: courierError.toJSON(), stack: err instanceof Error ? err.stack : undefined, method: c.req.method, path: c.req.path },
        "admin.request.failed",
      );
    }
    return c.json(body, status as ErrorStatus);
  });

  return app;
}

/** Hono's own HTTP errors (e.g. from a built-in middleware) in Courier's terms. */
function fromHttpException(err: HTTPException): CourierError {
  switch (err.status) {
    case 401:
      return new CourierError("COURIER__HTTP__UNAUTHORIZED", "missing or invalid bearer token");
    case 413:
      return new CourierError("COURIER__HTTP__PAYLOAD_TOO_LARGE", "request body is too large");
    case 415:
      return new CourierError("COURIER__HTTP__UNSUPPORTED_MEDIA_TYPE", "request body must be JSON");
    default:
      if (err.status >= 400 && err.status < 500) return new CourierError("COURIER__VALIDATION", err.message || "bad request");
      return coerceError(err);
  }
}

/** Construction-time errors that say exactly which option is wrong. */
function assertDeps(deps: AdminDeps): void {
  const missing = (["store", "registry", "clock", "instanceId"] as const).filter((k) => !deps[k]);
  if (missing.length > 0) {
    throw new CourierError("COURIER__CONFIG", `createAdminApp: missing ${missing.join(", ")}`, { missing });
  }
  if (deps.bodyLimitBytes !== undefined && !(Number.isInteger(deps.bodyLimitBytes) && deps.bodyLimitBytes > 0)) {
    throw new CourierError("COURIER__CONFIG", "createAdminApp: bodyLimitBytes must be a positive integer", { field: "bodyLimitBytes" });
  }
  if (deps.maxStatsTicks !== undefined && !(Number.isInteger(deps.maxStatsTicks) && deps.maxStatsTicks >= 1)) {
    throw new CourierError("COURIER__CONFIG", "createAdminApp: maxStatsTicks must be an integer ≥ 1", { field: "maxStatsTicks" });
  }
}
