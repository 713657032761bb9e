import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { type AdminFixture, createAdminFixture } from "../test/admin-fixture.js";
import type { AdminLogger } from "./types.js";

/** A logger that keeps what it is given, to check what reaches the logs. */
function createRecordingLogger(): AdminLogger & { entries: Array<{ level: string; obj: object; msg?: string }> } {
  const entries: Array<{ level: string; obj: object; msg?: string }> = [];
  return {
    entries,
    error: (obj, msg) => entries.push({ level: "error", obj, msg }),
    warn: (obj, msg) => entries.push({ level: "warn", obj, msg }),
    info: (obj, msg) => entries.push({ level: "info", obj, msg }),
  };
}

describe("admin app: failures inside the service", () => {
  let fx: AdminFixture;
  let logger: ReturnType<typeof createRecordingLogger>;
  beforeEach(async () => {
    logger = createRecordingLogger();
    fx = await createAdminFixture({
      logger,
      rpcHealth: () => {
        throw new Error("pool exploded");
      },
      readiness: async () => ({ ready: false, reasons: ["safe mode: integrity check failed"], recommended_action: "run `courier doctor`" }),
    });
  });
  afterEach(async () => {
    await fx.close();
  });

  it("a store that fails underneath is a 503 with a generic message (logged, nothing leaked)", async () => {
    await fx.store.close();
    const res = await fx.request("GET", "/admin/api/courier/ops");
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: "COURIER__STORE__UNAVAILABLE", message: expect.any(String) } });
    expect(text).not.toMatch(/\.ts:\d+|courier\.db|\/tmp\//);
    expect(logger.entries.some((e) => e.level === "error" && e.msg === "admin.request.failed")).toBe(true);
  });

  it("an unexpected error (a user action whose schema throws) is a generic 500 JSON; nothing is created", async () => {
    fx.registry.register({
      name: "buggy",
      params: z.object({}).refine(() => {
        throw new TypeError("secret internals at /srv/app/actions.ts:12");
      }),
    });
    const res = await fx.request("POST", "/admin/api/courier/ops", { body: { action: "buggy", params: {} } });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: "COURIER__HTTP__INTERNAL", message: "internal error (logged on the server)" } });
    expect(text).not.toContain("secret");
    const logged = logger.entries.find((e) => e.msg === "admin.request.failed");
    expect(JSON.stringify(logged?.obj)).toContain("secret internals");
    expect(await fx.countOps()).toBe(0);
  });

  it("/readyz names an unreachable store and the process's own reasons; /metrics reports courier_store_up 0", async () => {
    let body = (await (await fx.request("GET", "/readyz")).json()) as { reasons: string[]; recommended_action: string };
    // the process's extra reason, and a throwing rpcHealth does not break readiness
    expect(body.reasons).toEqual(["safe mode: integrity check failed"]);
    expect(body.recommended_action).toBe("run `courier doctor`");

    await fx.store.close();
    const res = await fx.request("GET", "/readyz");
    expect(res.status).toBe(503);
    body = (await res.json()) as { reasons: string[]; recommended_action: string };
    expect(body.reasons[0]).toMatch(/^store unreachable/);
    expect(body.recommended_action).toContain("COURIER_DB");

    const metrics = await fx.request("GET", "/metrics");
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain("courier_store_up 0");
  });
});
