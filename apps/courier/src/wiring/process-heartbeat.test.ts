/**
 * The process heartbeat keeps a process visible (to `courier restore`) while no crank loop runs,
 * e.g. a supervisor that halted the loop, and notices its store file being replaced.
 */
import { copyFileSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "@courier/agent";
import { type SqliteStore, openSqliteStore } from "@courier/sqlite";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getFileIdentity, startProcessHeartbeat } from "./process-heartbeat.js";

let dir: string;
let db: string;
let store: SqliteStore;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "courier-heartbeat-"));
  db = join(dir, "courier.db");
  store = await openSqliteStore(db);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function start(clock: ManualClock, crankRunning: () => boolean, replaced: string[]) {
  return startProcessHeartbeat({
    store,
    clock,
    logger: pino({ level: "silent" }),
    instanceId: "proc-1",
    intervalMs: 1_000,
    file: { path: db, identity: getFileIdentity(db) as { dev: number; ino: number } },
    crankRunning,
    inFlight: () => 0,
    onReplaced: (d) => replaced.push(d),
  });
}

describe("process heartbeat", () => {
  it("heartbeats only while no crank loop runs, and removes its row when it stops", async () => {
    const clock = new ManualClock(Date.now());
    let crank = true;
    const hb = start(clock, () => crank, []);
    await hb.beat();
    expect((await store.stats({ ticks: 0, now: clock.now() })).instances).toEqual([]);
    crank = false;
    await hb.beat();
    expect((await store.stats({ ticks: 0, now: clock.now() })).instances.map((i) => i.id)).toEqual(["proc-1"]);
    await hb.stop();
    expect((await store.stats({ ticks: 0, now: clock.now() })).instances).toEqual([]);
  });

  it("reports a store file replaced under it, once", async () => {
    const clock = new ManualClock(Date.now());
    const replaced: string[] = [];
    const hb = start(clock, () => true, replaced);
    await hb.beat();
    expect(replaced).toEqual([]);
    renameSync(db, `${db}.aside`);
    copyFileSync(`${db}.aside`, db);
    await hb.beat();
    await hb.beat();
    expect(replaced).toHaveLength(1);
    expect(replaced[0]).toMatch(/no longer the file this process opened/);
    await hb.stop();
  });
});
