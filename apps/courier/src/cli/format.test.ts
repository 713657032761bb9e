import { describe, expect, it } from "vitest";
import { formatOp, formatOpList, formatSchedule, formatTable } from "./format.js";

describe("human output", () => {
  it("aligns table columns and trims trailing space", () => {
    expect(formatTable(["A", "LONGER"], [["xyz", "1"], ["q", "22"]])).toBe("A    LONGER\nxyz  1\nq    22");
  });

  it("describes schedules and ops in words", () => {
    expect(formatSchedule({ kind: "every", every_ms: 60000 })).toBe("every 60000 ms");
    expect(formatSchedule({ kind: "cron", cron: "0 9 * * 1", tz: "Europe/Paris" })).toBe('cron "0 9 * * 1" (Europe/Paris)');
    const text = formatOp({ id: "op_1", action: "memo", status: "pending", schedule: { kind: "once" }, exec_count: 0, max_exec: null, attempts: 0, max_attempts: 5, last_error: null, params: { text: "hi" } });
    expect(text).toMatch(/^id +op_1$/m);
    expect(text).toMatch(/^attempts +0 of 5$/m);
    expect(text).toMatch(/^last_error +-$/m);
    expect(formatOpList([], null)).toBe("no ops");
    expect(formatOpList([{ id: "op_1", action: "memo", status: "pending" }], "c1")).toMatch(/\(more: --cursor c1\)$/);
  });
});
