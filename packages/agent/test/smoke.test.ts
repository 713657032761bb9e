import { describe, expect, it } from "vitest";
import { ManualClock } from "../src/clock.js";
import { createCapturedLogger, createRecordingExecutor, createTestCrank, createTestStore, nextIdle, scheduleTestOp } from "./helpers.js";


describe("crank smoke", () => {
  it("runs due ops and stops", async () => {
    const ts = await createTestStore();
    const clock = new ManualClock();
    const { logger } = createCapturedLogger();
    const ops = [];
    for (let i = 0; i < 5; i++) ops.push(await scheduleTestOp(ts.store, clock));
    const { calls, executor } = createRecordingExecutor();
    const crank = createTestCrank({ store: ts.store, executor, clock, logger, instanceId: "i1" });
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
