/** The API reference page: every operation and schema of the document, served with no external reference. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AdminFixture, createAdminFixture, TEST_ACTION } from "../../test/admin-fixture.js";

interface Doc {
  paths: Record<string, Record<string, { operationId: string }>>;
  components: { schemas: Record<string, unknown> };
}

describe("GET /admin/ui/api", () => {
  let fx: AdminFixture;
  beforeEach(async () => {
    fx = await createAdminFixture();
  });
  afterEach(async () => {
    await fx.close();
  });

  it("lists every operationId, path and schema of the served document", async () => {
    const doc = (await (await fx.request("GET", "/admin/api/openapi.json")).json()) as Doc;
    const res = await fx.request("GET", "/admin/ui/api");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain("Courier — API reference");
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([m, op]) => ({ path, m, op })));
    expect(operations.length).toBeGreaterThan(15);
    for (const { path, m, op } of operations) {
      expect(html).toContain(`id="op-${op.operationId}"`);
      expect(html).toContain(`<code>${op.operationId}</code>`);
      expect(html).toContain(`${m.toUpperCase()} ${path}`);
    }
    for (const name of Object.keys(doc.components.schemas)) expect(html, name).toContain(`id="schema-${name}"`);
    // the action registered in the fixture, its params and a typed field of a response
    expect(html).toContain(`params.${TEST_ACTION}`);
    expect(html).toContain('<a href="#schema-OpDetail">OpDetail</a>');
  });

  it("makes no external reference: every src, href and action stays on this service; the CSP allows only self", async () => {
    const res = await fx.request("GET", "/admin/ui/api");
    const html = await res.text();
    const refs = [...html.matchAll(/\b(?:src|href|action)\s*=\s*"([^"]*)"/gi)].map((m) => m[1] ?? "");
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) {
      if (/^(https?:)?\/\//i.test(ref)) expect(new URL(ref, "http://127.0.0.1").host, ref).toBe("127.0.0.1");
      else expect(ref, ref).toMatch(/^(\/|#|data:,$)/);
    }
    expect(html).not.toMatch(/@import|url\(\s*["']?https?:/i);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
  });

  it("every dashboard page links to it as \"API\"", async () => {
    for (const page of ["/admin/ui", "/admin/ui/ops", "/admin/ui/api"]) {
      const html = await (await fx.request("GET", page)).text();
      expect(html, page).toMatch(/<a href="\/admin\/ui\/api"[^>]*>API<\/a>/);
    }
  });

  it("is behind the dashboard's sign-in when a token is set", async () => {
    await fx.close();
    fx = await createAdminFixture({ token: "api-page-token-0123456789" });
    const res = await fx.request("GET", "/admin/ui/api");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/ui/login");
  });
});
