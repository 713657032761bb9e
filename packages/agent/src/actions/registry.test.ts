import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CourierError, isCourierError } from "../errors.js";
import { createActionRegistry } from "./registry.js";

function caught(fn: () => unknown): CourierError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CourierError) return e;
    throw e;
  }
  throw new Error("expected a throw");
}

function makeRegistry() {
  const registry = createActionRegistry();
  registry.register({
    name: "sol.transfer",
    params: z.object({ to: z.string().min(32), lamports: z.number().int().positive() }).strict(),
  });
  registry.register({ name: "memo", params: z.object({ text: z.string().default("hi") }) });
  return registry;
}

describe("action registry", () => {
  it("registers, gets and lists actions", () => {
    const registry = makeRegistry();
    expect(registry.list()).toEqual(["memo", "sol.transfer"]);
    expect(registry.get("memo")?.name).toBe("memo");
    expect(registry.get("nope")).toBeUndefined();
    expect(registry.has("sol.transfer")).toBe(true);
  });

  it("refuses a duplicate name", () => {
    const registry = makeRegistry();
    const err = caught(() => registry.register({ name: "memo", params: z.object({}) }));
    expect(err.code).toBe("COURIER__CONFLICT");
    expect(err.message).toContain("memo");
  });

  it("returns parsed params with defaults applied", () => {
    const registry = makeRegistry();
    expect(registry.validate("memo", {})).toEqual({ text: "hi" });
    const to = "1".repeat(32);
    expect(registry.validate("sol.transfer", { to, lamports: 5 })).toEqual({ to, lamports: 5 });
  });

  it("names the action field for an unknown action", () => {
    const err = caught(() => makeRegistry().validate("sol.transfr", {}));
    expect(isCourierError(err, "COURIER__ACTION__UNKNOWN")).toBe(true);
    expect(err.context.field).toBe("action");
    expect(err.message).toContain("sol.transfr");
    expect(err.message).toContain("sol.transfer");
  });

  it("names the failing param path with every issue in context", () => {
    const err = caught(() => makeRegistry().validate("sol.transfer", { to: "1".repeat(32), lamports: -3 }));
    expect(isCourierError(err, "COURIER__ACTION__INVALID_PARAMS")).toBe(true);
    expect(err.context.field).toBe("params.lamports");
    expect(err.message.startsWith("params.lamports:")).toBe(true);
    expect(err.context.issues).toEqual([{ path: "params.lamports", message: expect.any(String) }]);

    const many = caught(() => makeRegistry().validate("sol.transfer", { extra: 1 }));
    const paths = (many.context.issues as Array<{ path: string }>).map((i) => i.path).sort();
    expect(paths).toContain("params.to");
    expect(paths).toContain("params.lamports");
  });

  it("reports params that are not an object at the params root", () => {
    const err = caught(() => makeRegistry().validate("memo", "text"));
    expect(err.code).toBe("COURIER__ACTION__INVALID_PARAMS");
    expect(err.context.field).toBe("params");
  });
});
