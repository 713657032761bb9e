import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ManualClock } from "../clock.js";
import { type SupervisedLoop, type Supervisor, type SupervisorOptions, createSupervisor } from "./create-supervisor.js";
import { openSqliteStore, type SqliteStore } from "@courier/sqlite";

/**
 * A loop the test crashes at will. The real crank does not crash on its own (it coerces
 * executor and store failures), so a crash is produced here; everything else is real.
 */
interface TestLoop extends SupervisedLoop {
  crash(error: unknown): void;
  endQuietly(): void;
  stopped: boolean;
}

function createTestLoop(): TestLoop {
  let settle!: (e: unknown) => void;
  const running = new Promise<void>((resolve, reject) => {
    settle = (e) => (e === undefined ? resolve() : reject(e));
  });
  const loop: TestLoop = {
    stopped: false,
    start: () => running,
    async stop() {
      loop.stopped = true;
      settle(undefined);
    },
    crash: (e) => settle(e),
    endQuietly: () => settle(undefined),
  };
  return loop;
}

const logger = pino({ level: "silent" });

describe("createSupervisor", () => {
  let dir: string;
  let store: SqliteStore;
  let clock: ManualClock;
  let loops: TestLoop[];
  let sup: Supervisor | null;
  let running: Promise<void> | null;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "courier-supervisor-"));
    store = await openSqliteStore(join(dir, "courier.db"));
    clock = new ManualClock();
    loops = [];
    sup = null;
    running = null;
  });

  afterEach(async () => {
    if (sup) await sup.stop();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  function start(overrides: Partial<SupervisorOptions> = {}): Supervisor {
    sup = createSupervisor({
      createLoop: () => {
        const l = createTestLoop();
        loops.push(l);
        return l;
      },
      store,
      clock,
      logger,
      instanceId: "sup-test",
      restartCooldownMs: 100,
      maxRestarts: 2,
      windowMs: 10_000,
      haltPollMs: 500,
      ...overrides,
    });
    running = sup.start();
    return sup;
  }

  async function kinds(): Promise<string[]> {
    const events = await store.listAudit({ limit: 100 });
    return events.map((e) => e.kind).sort();
  }

  /** The supervisor is asleep in its cooldown / halt poll (the crashed loop's stop has settled). */
  async function waitAsleep(state: "restarting" | "halted"): Promise<void> {
    await vi.waitFor(() => {
      expect(sup?.state()).toBe(state);
      expect(clock.sleeping).toBe(1);
    });
  }

  async function waitRunning(count: number): Promise<void> {
    await vi.waitFor(() => {
      expect(loops.length).toBe(count);
      expect(sup?.state()).toBe("running");
    });
  }

  /** Crash the newest loop and let the cooldown pass. */
  async function crashAndRestart(count: number, cooldownMs: number): Promise<void> {
    loops[loops.length - 1]?.crash(new Error("boom"));
    await waitAsleep("restarting");
    clock.advance(cooldownMs);
    await waitRunning(count);
  }

  it("restarts a crashed loop after the cooldown, not before, and audits each decision", async () => {
    start();
    await waitRunning(1);
    loops[0]?.crash(new Error("boom"));
    await waitAsleep("restarting");
    expect(loops[0]?.stopped).toBe(true);
    const asleepAt = clock.now();
    clock.advance(99);
    // Nothing was woken: the supervisor's one sleep still ends at the cooldown, so no restart can begin.
    expect(clock.sleeping).toBe(1);
    expect(clock.nextWakeAt()).toBe(asleepAt + 100);
    expect(loops.length).toBe(1);
    clock.advance(1);
    await waitRunning(2);
    expect(await kinds()).toEqual(["supervisor.crash", "supervisor.restart", "supervisor.restart_scheduled"]);
    const [crash] = await store.listAudit({ limit: 10, kind: "supervisor.crash" });
    expect(crash?.instance).toBe("sup-test");
    expect(crash?.data).toMatchObject({ error: { code: "COURIER__UNKNOWN", message: "boom" }, restarts_in_window: 0 });
  });

  it("counts a loop that ends without a stop request, and a reported fault, as crashes", async () => {
    start();
    await waitRunning(1);
    loops[0]?.endQuietly();
    await waitAsleep("restarting");
    clock.advance(100);
    await waitRunning(2);
    sup?.reportFault(new Error("unhandled rejection in an action"));
    await waitAsleep("restarting");
    expect(loops[1]?.stopped).toBe(true);
    const crashes = await store.listAudit({ limit: 10, kind: "supervisor.crash" });
    expect(crashes.map((c) => (c.data.error as { message: string }).message).sort()).toEqual([
      "the crank loop ended without a stop request",
      "unhandled rejection in an action",
    ]);
  });

  it("halts after maxRestarts in the window and restarts no more until the halt is cleared", async () => {
    start();
    await waitRunning(1);
    await crashAndRestart(2, 100);
    await crashAndRestart(3, 200); // the cooldown doubles
    loops[2]?.crash(new Error("boom again"));
    await waitAsleep("halted");
    const control = await store.getControl();
    expect(control.halted).toBe(true);
    expect(control.halted_reason).toMatch(/2 restarts within 10000 ms; last crash COURIER__UNKNOWN: boom again/);
    expect((await kinds()).filter((k) => k === "supervisor.halted" || k === "supervisor.restart_blocked")).toEqual([
      "supervisor.halted",
      "supervisor.restart_blocked",
    ]);
    // Time passes: still halted, no new loop.
    for (let i = 0; i < 5; i++) {
      clock.advance(60_000);
      await waitAsleep("halted");
    }
    expect(loops.length).toBe(3);

    // What POST /admin/api/courier/resume does to the store.
    await store.setHalted({ halted: false, reason: null, now: clock.now() });
    clock.advance(500);
    await waitRunning(4);
    const [override] = await store.listAudit({ limit: 10, kind: "supervisor.override" });
    expect(override?.data).toMatchObject({ halted_reason: control.halted_reason });
    expect(sup?.restartsInWindow()).toBe(0);
    // The window starts over: the next crash restarts again instead of halting.
    await crashAndRestart(5, 100);
  });

  it("does not halt when the restarts are spread over more than the window", async () => {
    start({ windowMs: 1_000 });
    await waitRunning(1);
    for (let n = 2; n <= 6; n++) {
      clock.advance(2_000);
      // Each crash finds the previous restart outside the window: the cooldown stays at its base.
      await crashAndRestart(n, 100);
    }
    expect(await store.getControl()).toMatchObject({ halted: false });
    expect(await kinds()).not.toContain("supervisor.halted");
  });

  it("stops cleanly during the cooldown, without starting another loop", async () => {
    start();
    await waitRunning(1);
    loops[0]?.crash(new Error("boom"));
    await waitAsleep("restarting");
    await sup?.stop();
    await running;
    expect(sup?.state()).toBe("stopped");
    // Stopped means no sleeper left to wake: no time can bring a restart.
    expect(clock.sleeping).toBe(0);
    clock.advance(10_000);
    expect(loops.length).toBe(1);
    expect(await kinds()).not.toContain("supervisor.restart");
  });

  it("stops the running loop on stop() and while halted", async () => {
    start({ maxRestarts: 0 });
    await waitRunning(1);
    loops[0]?.crash(new Error("boom"));
    await waitAsleep("halted");
    await sup?.stop();
    await running;
    expect(sup?.state()).toBe("stopped");
    expect(loops.length).toBe(1);

    loops = [];
    const second = start();
    await waitRunning(1);
    await second.stop();
    expect(loops[0]?.stopped).toBe(true);
    expect(second.state()).toBe("stopped");
  });
});

describe("createSupervisor stop bound", () => {
  it("stop() returns even when the loop never ends, after stopTimeoutMs", async () => {
    const dir = await mkdtemp(join(tmpdir(), "courier-supervisor-"));
    const store = await openSqliteStore(join(dir, "courier.db"));
    const clock = new ManualClock();
    const stuck: SupervisedLoop = { start: () => new Promise<void>(() => {}), stop: () => new Promise<void>(() => {}) };
    const sup = createSupervisor({ createLoop: () => stuck, store, clock, logger, instanceId: "stuck", stopTimeoutMs: 1_000 });
    const running = sup.start();
    await vi.waitFor(() => expect(sup.state()).toBe("running"));
    const stopped = sup.stop();
    await vi.waitFor(() => expect(clock.sleeping).toBe(1));
    clock.advance(1_000);
    await stopped;
    await running;
    expect(sup.state()).toBe("stopped");
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
});
