import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { makeNewOp, T0 } from "@courier/testing";
import { openSqliteStore } from "../src/open.js";

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const root = mkdtempSync(join(tmpdir(), "courier-store-procs-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("SqliteStore across OS processes", () => {
  it("three processes claiming one file at once: every op claimed and finished exactly once", { timeout: 180_000 }, async () => {
    const path = join(root, "shared.db");
    const store = await openSqliteStore(path);
    const total = 1000;
    const ids = new Set<string>();
    for (let i = 0; i < total; i++) ids.add((await store.createOp(makeNewOp({ next_exec: T0 - (i % 53) }))).op.id);

    const owners = ["p1", "p2", "p3"];
    const outputs = await Promise.all(
      owners.map((owner) =>
        run(process.execPath, ["--import", "tsx", join(here, "claim-worker.fixture.ts"), path, owner, String(owners.length), String(T0)], {
          // Generous: three tsx children load slowly on a loaded machine.
          timeout: 150_000,
          cwd: join(here, "../../.."),
        }),
      ),
    );
    const won = outputs.map((o) => JSON.parse(o.stdout.trim().split("\n").pop() as string) as string[]);
    const all = won.flat();
    expect(all).toHaveLength(total);
    expect(new Set(all)).toEqual(ids);
    // the workers really competed (a barrier in the worker starts them together)
    expect(won.filter((w) => w.length > 0).length).toBeGreaterThan(1);
    const stats = await store.stats({ ticks: 0, now: T0 });
    expect(stats.ops_by_status).toMatchObject({ succeeded: total, pending: 0, running: 0 });
    expect(stats.totals.succeeded).toBe(total);
    await store.close();
  });
});
