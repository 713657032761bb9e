import { openPostgresStore } from "@courier/postgres";
import { freshSchemaName, useTestPostgres } from "@courier/testing";
import { describe, it } from "vitest";
import { describeStoreConformance } from "./describe-store-conformance.js";

const { server, schemas } = await useTestPostgres();

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
