/** @jsxRuntime automatic @jsxImportSource hono/jsx */
/**
 * GET /admin/ui and its pages. Reads come straight from the store (index lookups and cursor
 * pages); every state change is a form post that goes through the JSON API in-process, so the
 * dashboard has exactly the API's rules. Access: a session cookie (signed in with the admin
 * token when one is set), a per-session form token on every post, and the Origin check and
 * Host allowlist that guard the whole service.
 */
import { CourierError } from "@courier/agent";
import type { Context, Hono } from "hono";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { callApi } from "../http/internal-call.js";
import { isTokenMatch } from "../http/bearer-auth.js";
import { MAX_OP_ID_LENGTH } from "../schemas.js";
import type { AdminDeps } from "../types.js";
import { createOpenApiDocument } from "../openapi/document.js";
import { type ApiDocument, ApiPage } from "./api-page.js";
import { APP_CSS, APP_JS } from "./assets.js";
import { AuditPage } from "./audit-page.js";
import { Layout, type NavKey, type Notice } from "./layout.js";
import { LoginForm } from "./login-page.js";
import { bulkResultQuery, readNotice, verbResultQuery } from "./notices.js";
import { OpPage } from "./op-page.js";
import { OpsPage } from "./ops-page.js";
import { createOverviewLoader } from "./overview-data.js";
import { OverviewLive } from "./overview-page.js";
import { opPath, UI_BASE } from "./paths.js";
import { findOps } from "./find-ops.js";
import { createSessionStore, DEFAULT_SESSION_TTL_MS, type Session } from "./session.js";
import { UpcomingPage } from "./upcoming-page.js";
import { listUpcomingRuns } from "./upcoming-runs.js";

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

const VERBS = ["pause", "resume", "cancel", "retry"] as const;
const UPCOMING_LIMIT = 200;
const OPS_PAGE = 50;

export function registerDashboard(app: Hono, deps: AdminDeps): void {
  const sessions = createSessionStore({
    now: () => deps.clock.now(),
    ttlMs: deps.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS,
    secure: (c) => new URL(c.req.url).protocol === "https:",
  });
  const loadOverview = createOverviewLoader(deps);
  const bySession = new WeakMap<Request, Session>();
  const sessionOf = (c: Context) => bySession.get(c.req.raw) ?? null;

  function render(c: Context, title: string, nav: NavKey, body: Child, opts: { status?: 200 | 404; notice?: Notice | null } = {}) {
    const session = sessionOf(c);
    return c.html(
      <Layout title={title} nav={nav} csrf={session?.csrf ?? null} signedIn={session?.signedIn ?? false} notice={opts.notice ?? null}>
        {body}
      </Layout>,
      opts.status ?? 200,
    );
  }

  // "same-origin": Chromium sends `Origin: null` on form posts under "no-referrer", which the Origin check refuses
  const pageHeaders = async (c: Context, next: () => Promise<void>) => {
    await next();
    // a refusal (401, 403, 404, 413, …) is shown as a page, not as the API's JSON
    if (c.error && c.res.status >= 400 && c.res.status < 500 && c.req.method !== "HEAD") {
      const status = c.res.status as ContentfulStatusCode;
      const body = (await c.res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
      const text = `${body?.error?.message ?? "Refused."} (${body?.error?.code ?? status})`;
      c.res = undefined;
      c.res = await c.html(
        <Layout title="Refused" nav="login" csrf={null} signedIn={false} notice={{ kind: "error", text }}>
          <p>
            <a href={UI_BASE}>Back to the overview</a>
          </p>
        </Layout>,
        status,
      );
    }
    c.header("Content-Security-Policy", CSP);
    c.header("Referrer-Policy", "same-origin");
    c.header("X-Frame-Options", "DENY");
  };
  app.use(UI_BASE, pageHeaders);
  app.use(`${UI_BASE}/*`, pageHeaders);

  app.get(`${UI_BASE}/assets/app.js`, (c) => c.body(APP_JS, 200, { "content-type": "text/javascript; charset=utf-8" }));
  app.get(`${UI_BASE}/assets/app.css`, (c) => c.body(APP_CSS, 200, { "content-type": "text/css; charset=utf-8" }));

  app.get(`${UI_BASE}/login`, (c) => {
    if (!deps.token) return c.redirect(UI_BASE, 303);
    return render(c, "Sign in", "login", <LoginForm failed={c.req.query("failed") === "1"} />);
  });
  app.post(`${UI_BASE}/login`, async (c) => {
    if (!deps.token) return c.redirect(UI_BASE, 303);
    const form = await readForm(c);
    const token = typeof form.token === "string" ? form.token : "";
    if (!isTokenMatch(token, deps.token)) {
      deps.logger?.warn({ ip_hint: "dashboard" }, "admin.ui.sign_in_refused");
      return c.redirect(`${UI_BASE}/login?failed=1`, 303);
    }
    sessions.open(c, true);
    return c.redirect(UI_BASE, 303);
  });

  // every other dashboard route needs a session; posts need its form token
  const guard = async (c: Context, next: () => Promise<void>) => {
    const path = c.req.path;
    if (path.startsWith(`${UI_BASE}/assets/`) || path === `${UI_BASE}/login`) return next();
    let session = sessions.get(c);
    if (deps.token && !session?.signedIn) {
      if (c.req.method === "GET" || c.req.method === "HEAD") return c.redirect(`${UI_BASE}/login`, 303);
      throw new CourierError("COURIER__HTTP__UNAUTHORIZED", "sign in first");
    }
    if (!session) session = sessions.open(c, false);
    bySession.set(c.req.raw, session);
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      const form = await readForm(c);
      if (!sessions.isFormTokenValid(session, (form as Record<string, unknown>)._csrf)) {
        throw new CourierError("COURIER__HTTP__FORBIDDEN", "missing or wrong form token: reload the page and try again");
      }
    }
    return next();
  };
  app.use(UI_BASE, guard);
  app.use(`${UI_BASE}/*`, guard);

  app.post(`${UI_BASE}/logout`, (c) => {
    sessions.close(c);
    return c.redirect(deps.token ? `${UI_BASE}/login` : UI_BASE, 303);
  });

  app.get(UI_BASE, async (c) => {
    const data = await loadOverview();
    return render(c, "Overview", "overview", <OverviewLive data={data} csrf={sessionOf(c)?.csrf ?? null} />, {
      notice: readNotice((k) => c.req.query(k), "crank"),
    });
  });
  app.get(`${UI_BASE}/live`, async (c) => {
    const data = await loadOverview();
    return c.html(<OverviewLive data={data} csrf={sessionOf(c)?.csrf ?? null} />);
  });

  app.post(`${UI_BASE}/crank/:verb`, async (c) => {
    const verb = c.req.param("verb");
    if (verb !== "pause" && verb !== "resume") return c.notFound();
    const answer = await callApi(app, deps, "POST", `/admin/api/courier/${verb}`, { by: `dashboard@${deps.instanceId}` });
    return c.redirect(`${UI_BASE}${verbResultQuery(verb, answer.code)}`, 303);
  });

  app.get(`${UI_BASE}/ops`, async (c) => {
    const query = {
      status: c.req.query("status") || null,
      action: c.req.query("action") || null,
      q: c.req.query("q")?.trim() || null,
      cursor: c.req.query("cursor") || null,
    };
    const page = await findOps(deps, query, OPS_PAGE);
    return render(c, "Ops", "ops", <OpsPage query={query} ops={page.ops} nextCursor={page.next_cursor} csrf={sessionOf(c)?.csrf ?? null} />, {
      notice: page.notice ?? readNotice((k) => c.req.query(k), "ops"),
    });
  });

  app.post(`${UI_BASE}/ops/bulk`, async (c) => {
    const form = await readForm(c, { all: true });
    const action = form.bulk_action;
    const raw = form.id;
    const ids = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v): v is string => typeof v === "string");
    if (typeof action !== "string" || !(VERBS as readonly string[]).includes(action)) {
      throw new CourierError("COURIER__VALIDATION", "bulk_action: must be one of cancel, retry, pause, resume", { field: "bulk_action" });
    }
    if (ids.length === 0) return c.redirect(`${UI_BASE}/ops?done=none-selected`, 303);
    const answer = await callApi(app, deps, "POST", "/admin/api/courier/ops/bulk", { action, ids });
    if (answer.code) return c.redirect(`${UI_BASE}/ops${verbResultQuery(action, answer.code)}`, 303);
    return c.redirect(`${UI_BASE}/ops${bulkResultQuery(action, answer.body as { matched: number; changed: number; skipped: Array<{ reason: string }> })}`, 303);
  });

  app.get(`${UI_BASE}/ops/:id`, async (c) => {
    const id = c.req.param("id");
    const op = id.length <= MAX_OP_ID_LENGTH ? await deps.store.getOp(id) : null;
    if (!op) return render(c, "Op not found", "ops", <p>No op with this id.</p>, { status: 404 });
    const [attempts, ledger] = await Promise.all([deps.store.getAttempts(op.id), deps.store.getOpLedger(op.id)]);
    return render(
      c,
      `Op ${op.id}`,
      "ops",
      <OpPage op={op} attempts={attempts} ledger={ledger} explorerUrl={deps.explorerUrl ?? null} csrf={sessionOf(c)?.csrf ?? null} />,
      { notice: readNotice((k) => c.req.query(k), "op") },
    );
  });

  app.post(`${UI_BASE}/ops/:id/:verb`, async (c) => {
    const id = c.req.param("id");
    const verb = c.req.param("verb");
    if (!(VERBS as readonly string[]).includes(verb) || id.length > MAX_OP_ID_LENGTH) return c.notFound();
    const answer = await callApi(app, deps, "POST", `/admin/api/courier/ops/${encodeURIComponent(id)}/${verb}`);
    const code = answer.code !== null && answer.status === 404 && (answer.message ?? "").startsWith("no route") ? "unsupported" : answer.code;
    return c.redirect(`${opPath(id)}${verbResultQuery(verb, code)}`, 303);
  });

  app.get(`${UI_BASE}/upcoming`, async (c) => {
    const now = deps.clock.now();
    const runs = await listUpcomingRuns(deps, { from: now, until: now + 86_400_000, limit: UPCOMING_LIMIT });
    return render(c, "Upcoming", "upcoming", <UpcomingPage runs={runs} now={now} limit={UPCOMING_LIMIT} />);
  });

  app.get(`${UI_BASE}/api`, (c) => {
    const doc = createOpenApiDocument(deps, { serverUrl: new URL(c.req.url).origin }) as unknown as ApiDocument;
    return render(c, "API reference", "api", <ApiPage doc={doc} documentHref="/admin/api/openapi.json" />);
  });

  app.get(`${UI_BASE}/audit`, async (c) => {
    const [events, alerts] = await Promise.all([deps.store.listAudit({ limit: 200 }), deps.store.getAlerts()]);
    return render(c, "Audit and alerts", "audit", <AuditPage events={events} alerts={alerts} />);
  });
}

/** The posted form; a body that is not a parsable form reads as an empty one (then refused by what it lacks). */
function readForm(c: Context, opts: { all?: boolean } = {}): Promise<Record<string, unknown>> {
  return c.req.parseBody(opts).catch(() => ({}) as Record<string, unknown>);
}
