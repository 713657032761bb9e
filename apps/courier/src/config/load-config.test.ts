import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isCourierError } from "@courier/agent";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FIELDS } from "./fields.js";
import { findUnknownEnv, loadConfig } from "./load-config.js";
import { CONFIG_DEFAULTS } from "./schema.js";
import { getStartProblems } from "./checks.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "courier-config-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(isCourierError(e, "COURIER__CONFIG")).toBe(true);
    const message = (e as Error).message;
    expect(message).not.toContain("\n");
    return message;
  }
  throw new Error("expected a COURIER__CONFIG error");
}

describe("loadConfig", () => {
  it("gives the documented defaults with an empty environment", () => {
    const config = loadConfig({ env: {}, hostname: "box", pid: 42 });
    expect(config).toEqual({ ...CONFIG_DEFAULTS, instanceId: "box-42" });
    expect(config.db).toBe("./.courier/courier.db");
    expect(config.adminPort).toBe(8787);
    expect(config.rpcUrls).toEqual([]);
  });

  it("parses every kind of environment value", () => {
    const config = loadConfig({
      env: {
        COURIER_DB: "/tmp/x.db",
        COURIER_RPC_URLS: " http://a:1 , https://b.example/key ,",
        COURIER_ADMIN_PORT: "0",
        COURIER_CONCURRENCY: "4",
        COURIER_COMMITMENT: "Finalized",
        COURIER_DEMO: "false",
        COURIER_INSTANCE_ID: "crank-a",
        COURIER_KEYPAIR: "",
        COURIER_ADMIN_TOKEN: "0123456789abcdef",
        COURIER_DAILY_CAP_LAMPORTS: "5000000",
        UNRELATED: "ignored",
      },
    });
    expect(config).toMatchObject({
      db: "/tmp/x.db",
      rpcUrls: ["http://a:1", "https://b.example/key"],
      adminPort: 0,
      concurrency: 4,
      commitment: "finalized",
      demo: false,
      instanceId: "crank-a",
      keypair: null,
      adminToken: "0123456789abcdef",
      dailyCapLamports: 5_000_000,
    });
  });

  it("COURIER_RPC_RATE is auto by default, or a fixed number of requests per second", () => {
    expect(loadConfig({ env: {} }).rpcRate).toBe("auto");
    expect(loadConfig({ env: { COURIER_RPC_RATE: "25" } }).rpcRate).toBe(25);
    expect(loadConfig({ env: { COURIER_RPC_RATE: "2.5" } }).rpcRate).toBe(2.5);
    expect(loadConfig({ env: { COURIER_RPC_RATE: "auto" } }).rpcRate).toBe("auto");
    const file = join(dir, "rate.json");
    writeFileSync(file, JSON.stringify({ rpcRate: 40 }));
    expect(loadConfig({ env: {}, configFile: file }).rpcRate).toBe(40);
  });

  it("lets the environment override the config file, and overrides override both", () => {
    const file = join(dir, "courier.json");
    writeFileSync(file, JSON.stringify({ rpcUrls: ["http://file:1"], adminPort: 9000, concurrency: 3, demo: true }));
    const config = loadConfig({ env: { COURIER_CONCURRENCY: "7" }, configFile: file, overrides: { demo: false } });
    expect(config.rpcUrls).toEqual(["http://file:1"]);
    expect(config.adminPort).toBe(9000);
    expect(config.concurrency).toBe(7);
    expect(config.demo).toBe(false);
  });

  it.each([
    ["COURIER_CONCURRENCY", "abc", 'COURIER_CONCURRENCY: expected an integer between 1 and 1024, got "abc"'],
    ["COURIER_CONCURRENCY", "0", "COURIER_CONCURRENCY: expected an integer between 1 and 1024"],
    ["COURIER_CONCURRENCY", "2.5", "COURIER_CONCURRENCY: expected an integer"],
    ["COURIER_ADMIN_PORT", "70000", "COURIER_ADMIN_PORT: expected an integer between 0 and 65535"],
    ["COURIER_LOCALNET_PORT", "-1", "COURIER_LOCALNET_PORT: expected"],
    ["COURIER_LEASE_MS", "10", "COURIER_LEASE_MS: expected"],
    ["COURIER_COMMITMENT", "final", "COURIER_COMMITMENT: expected one of confirmed, finalized"],
    ["COURIER_LOG_LEVEL", "loud", "COURIER_LOG_LEVEL: expected one of"],
    ["COURIER_DEMO", "maybe", "COURIER_DEMO: expected true or false"],
    ["COURIER_DB", "", "COURIER_DB: expected"],
    ["COURIER_INSTANCE_ID", "has space", "COURIER_INSTANCE_ID: expected"],
    ["COURIER_BATCH_SIZE", "9999", "COURIER_BATCH_SIZE: expected"],
    ["COURIER_MAX_LAMPORTS_PER_OP", "-5", "COURIER_MAX_LAMPORTS_PER_OP: expected"],
    ["COURIER_FEE_CEILING_MICROLAMPORTS", "x", "COURIER_FEE_CEILING_MICROLAMPORTS: expected"],
    ["COURIER_SHUTDOWN_GRACE_MS", "1e3", "COURIER_SHUTDOWN_GRACE_MS: expected"],
    ["COURIER_LOCALNET_SLOT_MS", "0", "COURIER_LOCALNET_SLOT_MS: expected"],
    ["COURIER_RPC_RATE", "fast", 'COURIER_RPC_RATE: expected auto or a number of requests per second (0 < N ≤ 100000), got "fast"'],
    ["COURIER_RPC_RATE", "0", "COURIER_RPC_RATE: expected auto or a number"],
  ])("%s=%j is refused with one line naming the variable", (name, value, expected) => {
    expect(configError(() => loadConfig({ env: { [name]: value } }))).toContain(expected);
  });

  it("never prints a secret value in an error", () => {
    const token = "short-secret";
    const message = configError(() => loadConfig({ env: { COURIER_ADMIN_TOKEN: token } }));
    expect(message).toMatch(/^COURIER_ADMIN_TOKEN: /);
    expect(message).not.toContain(token);
    const url = "ftp://rpc.example/api-key-123";
    const rpcMessage = configError(() => loadConfig({ env: { COURIER_RPC_URLS: url } }));
    expect(rpcMessage).toMatch(/^COURIER_RPC_URLS: /);
    expect(rpcMessage).not.toContain("api-key-123");
  });

  it("names the key and variable of a bad config file value", () => {
    const file = join(dir, "c.json");
    writeFileSync(file, JSON.stringify({ concurrency: "lots" }));
    expect(configError(() => loadConfig({ env: {}, configFile: file }))).toBe(
      `concurrency (COURIER_CONCURRENCY) in ${file}: expected an integer between 1 and 1024, got "lots"`,
    );
  });

  it("refuses unknown keys, bad JSON and a missing config file", () => {
    const unknown = join(dir, "u.json");
    writeFileSync(unknown, JSON.stringify({ concurency: 3 }));
    expect(configError(() => loadConfig({ env: {}, configFile: unknown }))).toContain('unknown key "concurency"');
    const bad = join(dir, "b.json");
    writeFileSync(bad, "{nope");
    expect(configError(() => loadConfig({ env: {}, configFile: bad }))).toContain("not valid JSON");
    const array = join(dir, "a.json");
    writeFileSync(array, "[]");
    expect(configError(() => loadConfig({ env: {}, configFile: array }))).toContain("expected a JSON object");
    expect(configError(() => loadConfig({ env: {}, configFile: join(dir, "missing.json") }))).toContain("cannot read");
  });

  it("reports unknown COURIER_* variables", () => {
    expect(findUnknownEnv({ COURIER_CONCURENCY: "3", COURIER_DB: "x", PATH: "/bin" })).toEqual(["COURIER_CONCURENCY"]);
  });

  it("requires a token beyond loopback and a keypair with real RPC endpoints", () => {
    const exposed = loadConfig({ env: { COURIER_ADMIN_HOST: "0.0.0.0" } });
    expect(getStartProblems(exposed)[0]).toMatch(/^COURIER_ADMIN_TOKEN: required/);
    const withToken = loadConfig({ env: { COURIER_ADMIN_HOST: "0.0.0.0", COURIER_ADMIN_TOKEN: "0123456789abcdef" } });
    expect(getStartProblems(withToken)).toEqual([]);
    const remote = loadConfig({ env: { COURIER_RPC_URLS: "http://rpc:8899" } });
    expect(getStartProblems(remote)[0]).toMatch(/^COURIER_KEYPAIR: required/);
  });

  it("has an env name for every key, all distinct", () => {
    const names = Object.values(FIELDS).map((f) => f.env);
    expect(new Set(names).size).toBe(names.length);
  });
});
