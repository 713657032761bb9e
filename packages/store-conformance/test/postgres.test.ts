import { openPostgresStore } from "@courier/postgres";
import { dropSchemas, freshSchemaName, getTestPostgres } from "@courier/testing";
import { afterAll, describe, it } from "vitest";
import { describeStoreConformance } from "./describe-store-conformance.js";

const server = await getTestPostgres();
const schemas: string[] = [];
afterAll(async () => {
  if (!server) return;
  await dropSchemas(server.url, schemas).catch(() => undefined);
  await server.stop();
});

if (server) {
  const url = server.url;
  describeStoreConformance("postgres", () => {
    const schema = freshSchemaName();
    schemas.push(schema);
    return openPostgresStore(url, { schema, poolSize: 4 });
  });
} else {
  describe.skip("Store conformance: postgres (no PostgreSQL can be started here)", () => {
    it("skipped", () => undefined);
  });
}
