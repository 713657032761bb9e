/** GET /healthz (the process lives) and GET /readyz (the crank can work, or why not). */
import type { Hono } from "hono";
import { getReadiness } from "../readiness.js";
import type { AdminDeps } from "../types.js";

export function registerHealthRoutes(app: Hono, deps: AdminDeps): void {
  app.get("/healthz", (c) => c.json({ ok: true }));

  app.get("/readyz", async (c) => {
    const readiness = await getReadiness(deps);
    if (readiness.ready) return c.json({ ready: true });
    return c.json(readiness, 503);
  });
}
