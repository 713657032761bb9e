import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../src/clock.js";
import { type Crank, type CrankState, createCrank } from "../src/crank/index.js";
import type { Store } from "../src/types.js";
import { createCapturedLogger, createRecordingExecutor, createTestStore, nextIdle, scheduleTestOp, type TestStore } from "./helpers.js";
import { openSqliteStore } from "@courier/sqlite";

let ts: TestStore | undefined;
let crank: Crank | undefined;
let crankStore: Store | undefined;
let locker: Database.Database | undefined;
afterEach(async () => {
  if (locker?.inTransaction) locker.exec("ROLLBACK");
  locker?.close();
  locker = undefined;
  await crank?.stop();
  crank = undefined;
  await crankStore?.close();
  crankStore = undefined;
  await ts?.cleanup();
  ts = undefined;
});

describe("store outage", () => {
  it("a store that cannot take writes (SQLITE_BUSY) puts the crank in cooldown; it probes with backoff and recovers", async () => {
    ts = await createTestStore();
    const clock = new ManualClock();
    const op = await scheduleTestOp(ts.store, clock);
    // Another connection holds the write lock; the crank's connection does not wait for it.
    crankStore = await openSqliteStore(ts.path, { busyTimeoutMs: 0, busyRetryMs: [10, 50, 200] });
    locker = new Database(ts.path);
    locker.exec("BEGIN IMMEDIATE");
    const { logger, lines } = createCapturedLogger("info");
    const rec = createRecordingExecutor();
    crank = createCrank({ store: crankStore, executor: rec.executor, clock, logger, instanceId: "i1", infraCooldown: { initialMs: 1_000, maxMs: 8_000 }, maxIdleMs: 1_000 });
    const states: CrankState[] = [];
    crank.on("state", (s) => states.push(s));
    let idle = nextIdle(crank);
    void crank.start();
    // Each failing store call costs the store's own busy retries (~0.3 s real time): keep it short.
    for (let i = 0; i < 15; i++) {
      const ms = await idle;
      idle = nextIdle(crank);
      clock.advance(ms);
    }
    expect(crank.state()).toBe("cooling_down");
    expect(rec.calls).toEqual([]);
    locker.exec("COMMIT");
    for (let i = 0; i < 10 && rec.calls.length === 0; i++) {
      const ms = await idle;
      idle = nextIdle(crank);
      clock.advance(ms);
    }
    await idle;
    expect(rec.calls).toHaveLength(1);
    expect(await ts.store.getOp(op.id)).toMatchObject({ status: "succeeded", attempts: 1 });
    // Running until the first claim failed, cooling down (once, however many probes), running again.
    expect(states).toEqual(["running", "cooling_down", "running"]);
    expect(lines.filter((l) => l.msg === "crank.state")).toHaveLength(3);
    expect(lines.find((l) => l.msg === "crank.state" && l.state === "cooling_down")).toMatchObject({ state: "cooling_down", cause: "store", error: { code: "COURIER__STORE__BUSY" } });
  });
});
