import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";

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
});
