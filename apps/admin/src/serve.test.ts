import { isCourierError } from "@courier/agent";
import { afterEach, describe, expect, it } from "vitest";
import { assertSafeBind, isLoopbackHost, serveAdmin } from "./serve.js";
import { type AdminFixture, createAdminFixture } from "../test/admin-fixture.js";

describe("assertSafeBind", () => {
  it("treats 127.0.0.0/8, ::1 and localhost as loopback", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST", "::ffff:127.0.0.1"]) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ["0.0.0.0", "::", "10.0.0.5", "128.0.0.1", "example.com", "localhost.evil.test", "::ffff:10.0.0.1", ""]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it("refuses a non-loopback host without a token (COURIER__CONFIG naming the variable)", () => {
    for (const token of [undefined, null, ""]) {
      let thrown: unknown;
      try {
        assertSafeBind({ host: "0.0.0.0", token });
      } catch (e) {
        thrown = e;
      }
      expect(isCourierError(thrown, "COURIER__CONFIG")).toBe(true);
      expect((thrown as Error).message).toBe("COURIER_ADMIN_TOKEN is required when COURIER_ADMIN_HOST is not loopback");
    }
    expect(() => assertSafeBind({ host: "0.0.0.0", token: "t0ken" })).not.toThrow();
    expect(() => assertSafeBind({ host: "127.0.0.1", token: null })).not.toThrow();
  });
});

describe("serveAdmin", () => {
  let fx: AdminFixture | undefined;
  afterEach(async () => {
    await fx?.close();
  });

  it("serves the app on a free loopback port and closes", async () => {
    fx = await createAdminFixture();
    const served = await serveAdmin(fx.app, { host: "127.0.0.1", port: 0 });
    expect(served.port).toBeGreaterThan(0);
    expect(served.url).toBe(`http://127.0.0.1:${served.port}`);
    const res = await fetch(`${served.url}/healthz`);
    expect(await res.json()).toEqual({ ok: true });
    const big = await fetch(`${served.url}/admin/api/courier/ops`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ action: "test.echo", params: { n: 1 }, idempotency_key: "x".repeat(100_000) }),
    });
    expect(big.status).toBe(413);
    await served.close();
    await expect(fetch(`${served.url}/healthz`)).rejects.toThrow();
  });

  it("rejects with COURIER__CONFIG when the port is taken", async () => {
    fx = await createAdminFixture();
    const first = await serveAdmin(fx.app, { host: "127.0.0.1", port: 0 });
    try {
      await expect(serveAdmin(fx.app, { host: "127.0.0.1", port: first.port })).rejects.toMatchObject({ code: "COURIER__CONFIG" });
    } finally {
      await first.close();
    }
  });
});
