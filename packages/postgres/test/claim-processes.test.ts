import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { openPostgresStore } from "../src/open.js";
import { freshSchemaName, seedDueOps, TEST_TIMEOUTS, useTestPostgres } from "@courier/testing";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const { server, schemas } = await useTestPostgres();

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe.skipIf(!server)("PostgresStore across OS processes", { timeout: TEST_TIMEOUTS.childProcesses }, () => {
  it("three processes (three instance ids) claiming 2,000 due ops at once: each claimed and finished exactly once", async () => {
    const url = (server as { url: string }).url;
    const schema = freshSchemaName("procs");
    schemas.push(schema);
    const store = await openPostgresStore(url, { schema });
    const total = 2000;
    const ids = new Set(await seedDueOps(url, schema, total, T0, "test.noop"));
    expect(ids.size).toBe(total);

    const owners = ["host-a", "host-b", "host-c"];
    const outputs = await Promise.all(
      owners.map((owner) =>
        run(process.execPath, ["--import", "tsx", join(here, "fixtures/claim-worker.ts"), url, schema, owner, String(owners.length), String(T0), "16", "ids"], {
          timeout: 90_000,
          cwd: join(here, "../../.."),
        }),
      ),
    );
    const won = outputs.map((o) => (JSON.parse(o.stdout.trim().split("\n").pop() as string) as { won: string[] }).won);
    const all = won.flat();
    expect(all).toHaveLength(total);
    expect(new Set(all)).toEqual(ids);
    // the workers really competed (a barrier in the worker starts them together)
    expect(won.filter((w) => w.length > 0).length).toBeGreaterThan(1);
    const stats = await store.stats({ ticks: 0, now: T0 });
    expect(stats.ops_by_status).toMatchObject({ succeeded: total, pending: 0, running: 0 });
    expect(stats.totals.succeeded).toBe(total);
    const attempts = await store.getAttempts([...ids][0] as string);
    expect(attempts).toHaveLength(1);
    await store.close();
  });
});
