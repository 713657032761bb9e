/**
 * `courier migrate-store`: copies a SQLite store into PostgreSQL (a real throwaway cluster; the
 * happy path skips only when none can be started, never with COURIER_REQUIRE_PG=1), refuses a
 * second copy into the same schema, and never prints the URL's password.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPostgresStore } from "@courier/postgres";
import { dropSchemas, freshSchemaName, getTestPostgres, makeMemoOp, runCli, runCliBatch, type CliResult, TEST_TIMEOUTS } from "@courier/testing";
import { afterAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "@courier/sqlite";

const PASSWORD = "pw-that-must-never-show";
const server = await getTestPostgres();
const schemas: string[] = [];
const root = mkdtempSync(join(tmpdir(), "courier-migrate-cli-"));
afterAll(async () => {
  rmSync(root, { recursive: true, force: true });
  if (!server) return;
  await dropSchemas(server.url, schemas).catch(() => undefined);
  await server.stop();
});

/** The test server's URL with a password added (trust auth ignores it; the CLI must hide it). */
function withPassword(url: string): string {
  const u = new URL(url);
  if (!u.password) u.password = PASSWORD;
  return u.toString();
}

function expectOneLineError(result: CliResult, code: number, pattern: RegExp): void {
  expect(result.code, result.stderr).toBe(code);
  expect(result.stdout).toBe("");
  expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
}

describe("courier migrate-store", { timeout: TEST_TIMEOUTS.childProcesses }, () => {
  it("refuses bad usage with exit 2 and one line", async () => {
    const db = join(root, "usage.db");
    const [noTo, notPostgres, fromPostgres, missingSource] = (await runCliBatch([
      { args: ["migrate-store"], env: { COURIER_DB: db } },
      { args: ["migrate-store", "--to", "http://127.0.0.1:1/x"], env: { COURIER_DB: db } },
      { args: ["migrate-store", "--to", "postgres://u:secret1@127.0.0.1:1/x"], env: { COURIER_DB: "postgres://u:secret2@127.0.0.1:1/y" } },
      { args: ["migrate-store", "--to", `postgres://u:${PASSWORD}@127.0.0.1:1/x`], env: { COURIER_DB: join(root, "missing.db") } },
    ])) as CliResult[];
    expectOneLineError(noTo as CliResult, 2, /--to/);
    expectOneLineError(notPostgres as CliResult, 2, /--to: expected a postgres:\/\/ URL/);
    expectOneLineError(fromPostgres as CliResult, 2, /COURIER_DB is already a PostgreSQL URL/);
    expectOneLineError(missingSource as CliResult, 2, /no SQLite store at/);
    for (const r of [fromPostgres, missingSource] as CliResult[]) expect(r.stderr).not.toMatch(/secret1|secret2|pw-that-must-never-show/);
  });

  it.skipIf(!server)("copies the ops into an empty schema, then refuses a second copy (exit 2)", async () => {
    const url = (server as NonNullable<typeof server>).url;
    const db = join(root, "source.db");
    const store = await openSqliteStore(db);
    try {
      for (const id of ["op_mig_a", "op_mig_b"]) await store.createOp(makeMemoOp(id));
    } finally {
      await store.close();
    }
    const schema = freshSchemaName("cli_mig");
    schemas.push(schema);
    const env = { COURIER_DB: db, COURIER_DB_SCHEMA: schema };
    const first = await runCli(["migrate-store", "--to", withPassword(url)], env);
    expect(first.code, first.stderr).toBe(0);
    const result = JSON.parse(first.stdout) as { schema: string; copied: Record<string, number>; to: string };
    expect(result).toMatchObject({ schema, copied: { ops: 2 } });
    expect(first.stdout).not.toContain(PASSWORD);

    const target = await openPostgresStore(url, { schema });
    try {
      expect((await target.listOps({ limit: 10 })).ops.map((o) => o.id).sort()).toEqual(["op_mig_a", "op_mig_b"]);
    } finally {
      await target.close();
    }

    const again = await runCli(["migrate-store", "--to", withPassword(url)], env);
    expectOneLineError(again, 2, /already holds ops/);
    expect(again.stderr).not.toContain(PASSWORD);
  });
});
