import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { censorLogLine, createLogger } from "./logger.js";

function capture(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

describe("logger: the secret backstop", () => {
  it("censors secret-named fields at the top and one level down, in lines and in a child's bindings", () => {
    const { stream, lines } = capture();
    const logger = createLogger("info", stream as never);
    const fields = { token: "tok-1", webhook: { authorization: "Bearer tok-2", url: "https://x" }, op: { id: "op_1" } };
    logger.info(fields, "probe");
    logger.child({ secretKey: "tok-3", op_id: "op_2", session: { adminToken: "tok-4" } }).info("child");
    const text = lines.join("\n");
    for (const secret of ["tok-1", "tok-2", "tok-3", "tok-4"]) expect(text).not.toContain(secret);
    const first = JSON.parse(lines[0] as string);
    expect(first.token).toBe("[redacted]");
    expect(first.webhook).toEqual({ authorization: "[redacted]", url: "https://x" });
    expect(first.op).toEqual({ id: "op_1" });
    const second = JSON.parse(lines[1] as string);
    expect(second.secretKey).toBe("[redacted]");
    expect(second.op_id).toBe("op_2");
    expect(second.session).toEqual({ adminToken: "[redacted]" });
    // The caller's objects are untouched.
    expect(fields.token).toBe("tok-1");
    expect(fields.webhook.authorization).toBe("Bearer tok-2");
  });

  it("censors at any depth and in arrays; a line naming no secret field is passed on as it is", () => {
    const { stream, lines } = capture();
    const logger = createLogger("info", stream as never);
    logger.info({ a: { b: { token: "tok-5" } }, list: [{ authorization: "tok-6" }], note: 'said "token": in a string' }, "deep");
    const line = JSON.parse(lines[0] as string);
    expect(line.a).toEqual({ b: { token: "[redacted]" } });
    expect(line.list).toEqual([{ authorization: "[redacted]" }]);
    expect(line.note).toBe('said "token": in a string');
    const clean = '{"level":30,"msg":"op.start","op_id":"op_1","note":"a \\"token\\": inside a string"}\n';
    expect(censorLogLine(clean)).toBe(clean);
    expect(censorLogLine('{"token":"tok-7"}\n')).toBe('{"token":"[redacted]"}\n');
    expect(censorLogLine('{"token":"tok-8", broken\n')).not.toContain("tok-8");
  });
});
