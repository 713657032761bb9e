import { describe, expect, it } from "vitest";
import { formatLogLine, resolveLogFormat } from "./pretty-log.js";

describe("pretty log lines", () => {
  it("turns a pino JSON line into time, level, event and key=value fields", () => {
    const line = JSON.stringify({ level: 30, time: "2026-12-04T21:16:16.197Z", service: "courier", op_id: "op_1", action: "memo", run: 1, msg: "op.start" });
    expect(formatLogLine(line, false)).toBe("21:16:16.197 INFO  op.start op_id=op_1 action=memo run=1\n");
  });

  it("quotes strings with blanks, prints objects as JSON and an error's stack indented below", () => {
    const line = JSON.stringify({
      level: 50,
      time: "2026-12-04T21:16:16.197Z",
      msg: "courier.start.failed",
      detail: "two words",
      err: { code: "COURIER__X", message: "boom", stack: "Error: boom\n    at f (x.js:1:1)" },
    });
    const out = formatLogLine(line, false);
    expect(out).toContain('21:16:16.197 ERROR courier.start.failed detail="two words" err={"code":"COURIER__X","message":"boom"}');
    expect(out).toContain("\n    Error: boom\n        at f (x.js:1:1)");
  });

  it("colours only when asked, and passes a non-JSON line through", () => {
    const line = JSON.stringify({ level: 40, time: "2026-12-04T21:16:16.197Z", msg: "x" });
    expect(formatLogLine(line, true)).toContain("\u001b[33mWARN \u001b[0m");
    expect(formatLogLine(line, false)).not.toContain("\u001b[");
    expect(formatLogLine("not json", false)).toBe("not json\n");
  });

  it("is pretty on a terminal and JSON otherwise, unless the flag says", () => {
    expect(resolveLogFormat(undefined, true)).toBe("pretty");
    expect(resolveLogFormat(undefined, false)).toBe("json");
    expect(resolveLogFormat("json", true)).toBe("json");
    expect(resolveLogFormat("pretty", false)).toBe("pretty");
  });
});
