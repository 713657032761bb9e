/** docs/api.md stays in step with the zod schemas: every field and route they define is documented. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
});
