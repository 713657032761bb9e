/**
 * Pause/resume (the kill switch, persisted in the store so every crank process obeys it) and
 * the audit log. Resume also clears a supervisor halt: it is the operator's override.
 */
import type { Context, Hono } from "hono";
import { controlToJSON, resolveCrankState } from "../crank-state.js";
import { parseQuery, toValidationError } from "../http/parse-query.js";
import { readJsonBody } from "../http/read-json-body.js";
import { toIsoOrNull } from "../iso-time.js";
import { recordAudit, wakeCrank } from "../operator-actions.js";
import { auditQuerySchema, controlBodySchema, DEFAULT_AUDIT_LIMIT } from "../schemas.js";
import type { AdminDeps } from "../types.js";

const BASE = "/admin/api/courier";

export function registerControlRoutes(app: Hono, deps: AdminDeps): void {
  const { store, clock } = deps;

  async function readControlBody(c: Context): Promise<{ by: string }> {
    const body = await readJsonBody(c, { required: false });
    const result = controlBodySchema.safeParse(body ?? {});
    if (!result.success) throw toValidationError(result.error);
    return { by: result.data.by ?? `admin-api@${deps.instanceId}` };
  }

  app.post(`${BASE}/pause`, async (c) => {
    const { by } = await readControlBody(c);
    const control = await store.setPaused({ paused: true, by, now: clock.now() });
    await recordAudit(deps, "crank.paused", null, { by });
    return c.json({ state: resolveCrankState(control, deps.crankState?.()), control: controlToJSON(control) });
  });

  app.post(`${BASE}/resume`, async (c) => {
    const { by } = await readControlBody(c);
    const now = clock.now();
    let control = await store.setPaused({ paused: false, by, now });
    if (control.halted) {
      const reason = control.halted_reason;
      control = await store.setHalted({ halted: false, reason: null, now });
      await recordAudit(deps, "crank.halt_cleared", null, { by, reason });
    }
    await recordAudit(deps, "crank.resumed", null, { by });
    wakeCrank(deps);
    return c.json({ state: resolveCrankState(control, deps.crankState?.()), control: controlToJSON(control) });
  });

  app.get(`${BASE}/audit`, async (c) => {
    const q = parseQuery(c, auditQuerySchema);
    const events = await store.listAudit({ limit: q.limit ?? DEFAULT_AUDIT_LIMIT, kind: q.kind });
    return c.json({ events: events.map((e) => ({ ...e, at: toIsoOrNull(e.at) })) });
  });
}
