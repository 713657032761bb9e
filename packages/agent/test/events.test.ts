import { describe, expect, it } from "vitest";
import { ManualClock } from "../src/clock.js";
import { CourierError } from "../src/errors.js";
import { createCapturedLogger, createRecordingExecutor, createTestCrank, createTestStore, nextIdle, scheduleTestOp } from "./helpers.js";


describe("events", () => {
  it("op.start / op.end carry op_id, action, run, attempt, instance and the outcome; ticks log their summary", async () => {
    const ts = await createTestStore();
    const clock = new ManualClock();
    const { logger, lines } = createCapturedLogger("info");
    const good = await scheduleTestOp(ts.store, clock);
    const bad = await scheduleTestOp(ts.store, clock, { params: { n: 1 } });
    const rec = createRecordingExecutor((op, ctx) => {
      ctx.log.info({ step: "inside" }, "executor.step");
      if (op.id === bad.id) return { outcome: "permanent", error: new CourierError("COURIER__OP__PROGRAM_ERROR", "custom program error 0x1") };
      return { outcome: "ok", signature: "sig-123" };
    });
    const crank = createTestCrank({ store: ts.store, executor: rec.executor, clock, logger, instanceId: "inst-A" });
    const idle = nextIdle(crank);
    void crank.start();
    await idle;

    const base = (id: string) => ({ op_id: id, action: "test.op", run: 1, attempt: 1, instance: "inst-A" });
    const startOf = (id: string) => lines.find((l) => l.msg === "op.start" && l.op_id === id);
    const endOf = (id: string) => lines.find((l) => l.msg === "op.end" && l.op_id === id);
    expect(startOf(good.id)).toMatchObject(base(good.id));
    expect(startOf(bad.id)).toMatchObject(base(bad.id));
    const goodEnd = endOf(good.id);
    expect(goodEnd).toMatchObject({ ...base(good.id), outcome: "ok", signature: "sig-123" });
    expect(typeof goodEnd?.latency_ms).toBe("number");
    expect(goodEnd).not.toHaveProperty("error");
    expect(endOf(bad.id)).toMatchObject({
      ...base(bad.id),
      outcome: "permanent",
      error: { code: "COURIER__OP__PROGRAM_ERROR", message: "custom program error 0x1" },
    });
    // The executor's logger is the op's child logger.
    expect(lines.find((l) => l.msg === "executor.step" && l.op_id === good.id)).toMatchObject(base(good.id));
    const tick = lines.find((l) => l.msg === "tick");
    expect(tick?.tick).toMatchObject({ instance: "inst-A", claimed: 2 });
    expect(lines.filter((l) => l.msg === "crank.state").map((l) => l.state)).toEqual(["running"]);
  });
});
