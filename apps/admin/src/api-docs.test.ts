/**
 * docs/api.md stays in step with the code: every field and route the zod schemas define, every
 * stats field and every courier_* metric is documented.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminMetrics } from "./metrics/create-admin-metrics.js";
import { createOpenApiDocument } from "./routes/openapi-route.js";
import { type AdminFixture, createAdminFixture } from "../test/admin-fixture.js";

const docs = readFileSync(fileURLToPath(new URL("../../../docs/api.md", import.meta.url)), "utf8");

describe("docs/api.md", () => {
  let fx: AdminFixture;
  let doc: { paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>; components: { schemas: Record<string, { properties?: object }> } };
  beforeAll(async () => {
    fx = await createAdminFixture();
    doc = createOpenApiDocument({ store: fx.store, registry: fx.registry, clock: fx.clock, instanceId: "x" }) as typeof doc;
  });
  afterAll(async () => {
    await fx.close();
  });

  it("documents every create-body field of scheduleInputSchema", () => {
    const fields = Object.keys(doc.components.schemas.CreateOp?.properties ?? {});
    expect(fields.length).toBeGreaterThan(10);
    for (const f of fields) expect(docs, f).toContain(`| \`${f}\` |`);
  });

  it("documents every route and query parameter", () => {
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const documented = path.replace("{id}", ":id");
        expect(docs, `${method} ${path}`).toMatch(new RegExp(`${method.toUpperCase()} ${documented.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
        for (const p of op.parameters ?? []) if (p.in === "query") expect(docs, `${path}?${p.name}`).toContain(`\`${p.name}\``);
      }
    }
  });

  it("shows every top-level field of the stats answer", () => {
    const fields = Object.keys(doc.components.schemas.Stats?.properties ?? {});
    expect(fields).toContain("send_window");
    for (const f of fields) expect(docs, f).toContain(`"${f}":`);
  });

  it("lists every courier_* metric of the process's registry", async () => {
    const names = (await createAdminMetrics().registry.getMetricsAsJSON()).map((m) => m.name).filter((n) => n.startsWith("courier_"));
    expect(names.length).toBeGreaterThan(20);
    for (const n of names) expect(docs, n).toContain(`| \`${n}\` |`);
  });
});
