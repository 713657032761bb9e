import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ManualClock } from "../clock.js";
import { type Crank, createCrank } from "../crank/crank.js";
import type { Executor } from "../types.js";
import { createCrankLoop } from "./crank-loop.js";
import { type Supervisor, createSupervisor } from "./create-supervisor.js";
import { openSqliteStore, type SqliteStore } from "@courier/sqlite";

const logger = pino({ level: "silent" });
/** No op is scheduled in these tests: an execution would be a bug. */
const executor: Executor = {
  execute: () => {
    throw new Error("executor must not be called: no op is scheduled");
  },
};

describe("createCrankLoop under the supervisor", () => {
  let dir: string;
  let store: SqliteStore;
  let clock: ManualClock;
  let cranks: Crank[];
  let sup: Supervisor;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "courier-crank-loop-"));
    store = await openSqliteStore(join(dir, "courier.db"));
    clock = new ManualClock();
    cranks = [];
    sup = createSupervisor({
      createLoop: () => {
        const crank = createCrank({ store, executor, clock, logger, instanceId: "loop-test", maxIdleMs: 1_000 });
        cranks.push(crank);
        return createCrankLoop(crank);
      },
      store,
      clock,
      logger,
      instanceId: "loop-test",
      restartCooldownMs: 500,
      maxRestarts: 1,
      windowMs: 60_000,
      haltPollMs: 1_000,
    });
  });

  afterEach(async () => {
    await sup.stop();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("a reported fault stops the running crank, and a fresh crank runs after the cooldown", async () => {
    const running = sup.start();
    await vi.waitFor(() => expect(cranks[0]?.state()).toBe("running"));
    sup.reportFault(new Error("unhandled rejection"));
    await vi.waitFor(() => expect(cranks[0]?.state()).toBe("stopped"));
    await vi.waitFor(() => expect(sup.state()).toBe("restarting"));
    expect(cranks.length).toBe(1);
    // The cooldown is on the injected clock: step it until the new crank exists.
    await vi.waitFor(() => {
      clock.advance(100);
      expect(cranks[1]?.state()).toBe("running");
    });
    // The stopped crank removed its instance row; the new one heartbeats under the same id.
    const stats = await store.stats({ ticks: 0, now: clock.now() });
    expect(stats.instances.map((i) => i.id)).toEqual(["loop-test"]);

    // The next fault is past the budget: halted in the store, the crank is stopped, /readyz would say why.
    sup.reportFault(new Error("again"));
    await vi.waitFor(() => expect(sup.state()).toBe("halted"));
    expect(cranks[1]?.state()).toBe("stopped");
    expect((await store.getControl()).halted).toBe(true);
    await sup.stop();
    await running;
    expect(sup.state()).toBe("stopped");
  });
});
