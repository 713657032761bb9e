import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../src/clock.js";
import { createCrank } from "../src/crank/index.js";
import { createCapturedLogger, createRecordingExecutor, createTestStore, nextIdle, scheduleTestOp, type TestStore } from "./helpers.js";

let ts: TestStore;
afterEach(async () => ts?.cleanup());

describe("crank smoke", () => {
  it("runs due ops and stops", async () => {
    ts = await createTestStore();
    const clock = new ManualClock();
    const { logger } = createCapturedLogger();
    const ops = [];
    for (let i = 0; i < 5; i++) ops.push(await scheduleTestOp(ts.store, clock));
    const { calls, executor } = createRecordingExecutor();
    const crank = createCrank({ store: ts.store, executor, clock, logger, instanceId: "i1" });
    const idle = nextIdle(crank);
    const running = crank.start();
    await idle;
    expect(calls).toHaveLength(5);
    for (const op of ops) expect((await ts.store.getOp(op.id))?.status).toBe("succeeded");
    await crank.stop();
    await running;
    expect(crank.state()).toBe("stopped");
  });
});
