/**
 * Random requests over every admin route: methods, paths (known routes with good, unknown and
 * hostile ids), query strings, headers (auth, cookies, origins, content types) and bodies
 * (JSON, forms with and without the form token, garbage, oversized). Shared by the in-suite
 * property test and the 20k-request run (`pnpm -s fuzz:admin`).
 */
import fc from "fast-check";

export interface FuzzContext {
  /** Ids of ops that exist. */
  opIds: string[];
  /** A live dashboard session cookie and its form token (open dashboard). */
  session: { cookie: string; csrf: string } | null;
  token: string | null;
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

const ROUTES = [
  "/healthz",
  "/readyz",
  "/metrics",
  "/admin/api/openapi.json",
  "/admin/api/courier/stats",
  "/admin/api/courier/audit",
  "/admin/api/courier/pause",
  "/admin/api/courier/resume",
  "/admin/api/courier/ops",
  "/admin/api/courier/ops/bulk",
  "/admin/api/courier/ops/:id",
  "/admin/api/courier/ops/:id/cancel",
  "/admin/api/courier/ops/:id/retry",
  "/admin/api/courier/ops/:id/pause",
  "/admin/api/courier/ops/:id/resume",
  "/admin/ui",
  "/admin/ui/live",
  "/admin/ui/api",
  "/admin/ui/login",
  "/admin/ui/logout",
  "/admin/ui/ops",
  "/admin/ui/ops/bulk",
  "/admin/ui/ops/:id",
  "/admin/ui/ops/:id/cancel",
  "/admin/ui/ops/:id/retry",
  "/admin/ui/ops/:id/pause",
  "/admin/ui/ops/:id/explode",
  "/admin/ui/crank/pause",
  "/admin/ui/crank/resume",
  "/admin/ui/crank/explode",
  "/admin/ui/upcoming",
  "/admin/ui/audit",
  "/admin/ui/assets/app.js",
  "/admin/ui/assets/app.css",
  "/admin/ui/assets/nope.js",
  "/nowhere",
];

const text = fc.string({ maxLength: 60 });
const hostile = fc.constantFrom("..%2F..%2Fetc%2Fpasswd", "%00", "%E0%A4%A", "op_" + "x".repeat(300), "<script>", "%27%22", "bulk", "");

export function createFuzzRequest(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const id = fc.oneof(ctx.opIds.length > 0 ? fc.constantFrom(...ctx.opIds) : fc.constant("op_none"), hostile, text.map(encodeURIComponent));
  const path = fc.tuple(fc.constantFrom(...ROUTES), id).map(([route, i]) => route.replace(":id", i));
  const queryValue = fc.oneof(
    fc.constantFrom("pending", "dead", "cancelled", "PENDING", "", "1", "50", "501", "-1", "abc", "sol.transfer"),
    text,
    fc.base64String({ maxLength: 40 }),
  );
  const query = fc
    .array(fc.tuple(fc.constantFrom("status", "action", "limit", "cursor", "q", "ticks", "kind", "done", "code", "matched", "failed", "x"), queryValue), { maxLength: 4 })
    .map((pairs) => (pairs.length === 0 ? "" : `?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&")}`));

  const csrf = ctx.session?.csrf ?? "none";
  const jsonBody = fc.oneof(
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.record({ action: fc.constantFrom("cancel", "retry", "pause", "resume", "x"), ids: fc.array(id, { maxLength: 5 }) }).map((v) => JSON.stringify(v)),
    fc.record({ action: fc.constantFrom("cancel", "retry"), filter: fc.record({ status: fc.constantFrom("pending", "dead", "x") }) }).map((v) => JSON.stringify(v)),
    fc.record({ by: text }).map((v) => JSON.stringify(v)),
  );
  const formBody = fc
    .record(
      {
        _csrf: fc.constantFrom(csrf, csrf, "forged", ""),
        token: fc.oneof(fc.constant(ctx.token ?? "x"), text),
        bulk_action: fc.constantFrom("cancel", "retry", "pause", "resume", "explode"),
        id: id,
      },
      { requiredKeys: [] },
    )
    .map((f) => new URLSearchParams(Object.entries(f) as Array<[string, string]>).toString());
  const body = fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 3, arbitrary: jsonBody },
    { weight: 3, arbitrary: formBody },
    { weight: 1, arbitrary: text },
    { weight: 1, arbitrary: fc.integer({ min: 60_000, max: 80_000 }).map((n) => "a".repeat(n)) },
  );
  const contentType = fc.constantFrom(
    undefined,
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "text/plain",
    "application/json; charset=utf-8",
    "garbage/",
  );
  const origin = fc.constantFrom(undefined, undefined, "http://127.0.0.1", "http://attacker.example", "null", "not a url");
  const cookie = fc.constantFrom(undefined, ctx.session?.cookie, "courier_session=forged", "courier_session=", "a=b; courier_session=%%%");
  const auth = fc.constantFrom(undefined, ctx.token ? `Bearer ${ctx.token}` : undefined, "Bearer wrong", "Basic eDp5", "Bearer");
  const host = fc.constantFrom(undefined, undefined, undefined, "localhost", "attacker.example", "[::1]:80", "127.0.0.1:1");
  const method = fc.constantFrom("GET", "GET", "POST", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");

  return fc
    .record({ method, path, query, body, contentType, origin, cookie, auth, host })
    .map((r) => {
      const headers: Record<string, string> = {};
      if (r.contentType) headers["content-type"] = r.contentType;
      if (r.origin) headers.origin = r.origin;
      if (r.cookie) headers.cookie = r.cookie;
      if (r.auth) headers.authorization = r.auth;
      if (r.host) headers.host = r.host;
      const hasBody = r.method !== "GET" && r.method !== "HEAD";
      return { method: r.method, path: `${r.path}${r.query}`, headers, body: hasBody ? r.body : undefined };
    });
}

/** A Request for `r` (null when the URL is not one a client could send). */
export function toRequest(r: FuzzRequest): Request | null {
  try {
    return new Request(`http://127.0.0.1${r.path}`, { method: r.method, headers: r.headers, body: r.body });
  } catch {
    return null;
  }
}

/** Open a dashboard session on an app without a token: its cookie and form token. */
export async function openFuzzSession(fetch: (req: Request) => Response | Promise<Response>): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(new Request("http://127.0.0.1/admin/ui"));
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await res.text())?.[1] ?? "";
  return { cookie, csrf };
}
