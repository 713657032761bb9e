/**
 * Issue 17 acceptance: the generated unit passes `systemd-analyze verify`, and its exposure in
 * `systemd-analyze security --offline=true` is at most 3.0. Uses the systemd-analyze on PATH
 * (.ci/run extracts it from Debian's `systemd` package when the machine has none).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../apps/courier/src/config/index.js";
import { COURIER_NODE_FLAGS } from "../../apps/courier/src/wiring/node-flags.js";
import { COMPILED_CLI_PATH, renderSystemdUnit } from "../../apps/courier/src/wiring/systemd-unit.js";

const run = promisify(execFile);
let dir: string;
let unitFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "courier-analyze-"));
  const envFile = join(dir, "courier.env");
  const secretsFile = join(dir, "courier.secrets.env");
  writeFileSync(envFile, 'COURIER_LOG_LEVEL="info"\n');
  writeFileSync(secretsFile, 'COURIER_RPC_URLS="https://rpc.example.invalid"\n', { mode: 0o600 });
  const config = loadConfig({ env: {} });
  unitFile = join(dir, "courier.service");
  writeFileSync(unitFile, renderSystemdUnit(config, { configFile: null, envFile, secretsFile, environment: [], user: null, workdir: null }));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("the generated systemd unit", () => {
  it("starts the compiled CLI with node", async () => {
    const { readFile } = await import("node:fs/promises");
    expect(await readFile(unitFile, "utf8")).toContain(`ExecStart=${process.execPath} ${COURIER_NODE_FLAGS.join(" ")} ${COMPILED_CLI_PATH} start`);
  });

  it("passes systemd-analyze verify", async () => {
    const { stdout, stderr } = await run("systemd-analyze", ["verify", unitFile], { timeout: 60_000 });
    expect(`${stdout}${stderr}`.trim()).toBe("");
  });

  it("has an exposure of at most 3.0 in systemd-analyze security --offline=true", async () => {
    const { stdout } = await run("systemd-analyze", ["security", "--offline=true", "--no-pager", unitFile], { timeout: 60_000 });
    const level = /Overall exposure level for courier\.service: (\d+\.\d+)/.exec(stdout)?.[1];
    expect(level, stdout.slice(-500)).toBeDefined();
    expect(Number(level)).toBeLessThanOrEqual(3.0);
  });
});
