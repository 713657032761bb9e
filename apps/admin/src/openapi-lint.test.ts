/**
 * The OpenAPI document passes Redocly's `recommended` ruleset (run offline, in-process), with
 * and without a token and with actions registered. The one warning left, `info-license`, is
 * explained in docs/api.md: Courier declares no license to name.
 */
import { createConfig, lintFromString } from "@redocly/openapi-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type AdminFixture, createAdminFixture } from "../test/admin-fixture.js";
import { createOpenApiDocument } from "./routes/openapi-route.js";

const ACCEPTED_WARNINGS = ["info-license"];

describe("OpenAPI document: Redocly recommended rules", () => {
  let fx: AdminFixture;
  beforeAll(async () => {
    fx = await createAdminFixture();
    fx.registry.register({ name: "test.memo", description: "a memo", params: z.strictObject({ text: z.string().max(566) }) });
    // a recursive params schema (like anchor.invoke's nested account groups): its refs must resolve inside the document
    type Tree = { [name: string]: string | Tree };
    const tree: z.ZodType<Tree> = z.lazy(() => z.record(z.string(), z.union([z.string(), tree])));
    fx.registry.register({ name: "test.tree", params: z.strictObject({ accounts: tree, list: z.array(tree).optional() }) });
  });
  afterAll(async () => {
    await fx.close();
  });

  for (const token of [null, "lint-token"]) {
    it(`no error and no unexplained warning (token ${token ? "set" : "unset"})`, async () => {
      const doc = createOpenApiDocument({ store: fx.store, registry: fx.registry, clock: fx.clock, instanceId: "x", token });
      const config = await createConfig({ extends: ["recommended"] });
      const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: "/openapi.json", config });
      const shown = problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? "?"}`);
      expect(shown.filter((p) => p.startsWith("error"))).toEqual([]);
      expect(problems.filter((p) => !ACCEPTED_WARNINGS.includes(p.ruleId)).map((p) => `${p.ruleId} ${p.message}`)).toEqual([]);
    });
  }

  it("a document that breaks the rules is caught (the linter really runs)", async () => {
    const config = await createConfig({ extends: ["recommended"] });
    const broken = { openapi: "3.1.0", info: { title: "x", version: "1" }, paths: { "/a": { get: { responses: { 200: { description: "ok" } } } } } };
    const problems = await lintFromString({ source: JSON.stringify(broken), absoluteRef: "/openapi.json", config });
    expect(problems.map((p) => p.ruleId)).toEqual(expect.arrayContaining(["operation-summary", "operation-operationId", "security-defined"]));
  });
});
