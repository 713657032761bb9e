import { describeStoreConformance } from "@courier/agent/testing";
import { afterAll, describe, expect, it } from "vitest";
import { openPostgresStore } from "./open.js";
import { dropSchemas, freshSchemaName, getTestPostgres } from "./testing/start-test-postgres.js";

const server = await getTestPostgres();
const schemas: string[] = [];
afterAll(async () => {
  if (!server) return;
  await dropSchemas(server.url, schemas).catch(() => undefined);
  await server.stop();
});

function openFresh(poolSize = 4) {
  if (!server) throw new Error("no PostgreSQL");
  const schema = freshSchemaName();
  schemas.push(schema);
  return openPostgresStore(server.url, { schema, poolSize });
}

if (server) {
  describeStoreConformance("postgres", () => openFresh());
} else {
  describe.skip("Store conformance: postgres (no PostgreSQL can be started here)", () => {
    it("skipped", () => undefined);
  });
}

describe.skipIf(!server)("PostgresStore (PostgreSQL specifics)", () => {
  it("placeholder", async () => {
    const s = await openFresh();
    expect(s.kind).toBe("postgres");
    await s.close();
  });
});
