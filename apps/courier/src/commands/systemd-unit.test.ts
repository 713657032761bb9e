/**
 * `courier systemd-unit` renders the unit from the config; `courier doctor --unit` passes on the
 * unit as generated and fails on a unit that drifted from the config.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config/index.js";
import { checkUnit } from "../doctor/check-unit.js";
import { type CliResult, runCli } from "@courier/testing";
import { renderSystemdUnit } from "../wiring/systemd-unit.js";

const TOKEN = "a-secret-admin-token-never-in-a-unit";

let dir: string;
let env: Record<string, string>;
let configFile: string;
let envFile: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "courier-unit-"));
  configFile = join(dir, "courier.json");
  writeFileSync(configFile, JSON.stringify({ supervisorMaxRestarts: 3 }));
  env = {
    COURIER_DB: join(dir, "courier.db"),
    COURIER_SUPERVISOR_WINDOW_MS: "120000",
    COURIER_SUPERVISOR_COOLDOWN_MS: "2500",
    COURIER_SHUTDOWN_GRACE_MS: "20000",
    COURIER_ADMIN_TOKEN: TOKEN,
    // A port nothing listens on: the doctor's localnet check stays quick.
    COURIER_LOCALNET_PORT: "9",
  };
  envFile = join(dir, "courier.env");
  writeFileSync(envFile, `${Object.entries(env).map(([k, v]) => `${k}=${v}`).join("\n")}\n`, { mode: 0o600 });
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function unitChecks(result: CliResult): Array<{ check: string; status: string; detail: string }> {
  const report = JSON.parse(result.stdout) as { checks: Array<{ check: string; status: string; detail: string }> };
  return report.checks.filter((c) => c.check === "systemd unit");
}

describe("courier systemd-unit and doctor --unit", () => {
  it("prints a unit consistent with the config, and the doctor tells a generated unit from a drifted one", async () => {
    const args = ["--config", configFile, "systemd-unit", "--environment-file", envFile, "--user", "courier", "--workdir", dir];
    const generated = await runCli(args, env);
    expect(generated.code, generated.stderr).toBe(0);
    const lines = generated.stdout.split("\n");
    expect(lines).toContain(`ExecStart=${process.execPath} --import ${new URL("../../../../node_modules/tsx/dist/loader.mjs", import.meta.url).href} ${new URL("../cli.ts", import.meta.url).pathname} start --config ${configFile}`);
    expect(lines).toContain(`WorkingDirectory=${dir}`);
    expect(lines).toContain(`EnvironmentFile=${envFile}`);
    expect(lines).toContain("User=courier");
    expect(lines).toContain("Restart=on-failure");
    // The supervisor's bounds: first cooldown 2.5 s, 3 restarts (+ the first start) per 120 s.
    expect(lines).toContain("RestartSec=3s");
    expect(lines).toContain("StartLimitIntervalSec=120");
    expect(lines).toContain("StartLimitBurst=4");
    expect(lines).toContain("KillSignal=SIGTERM");
    // Longer than the 20 s shutdown grace plus the supervisor's stop margin.
    expect(lines).toContain("TimeoutStopSec=30s");
    expect(generated.stdout).not.toContain(TOKEN);

    const unitFile = join(dir, "courier.service");
    writeFileSync(unitFile, generated.stdout);
    const drifted = join(dir, "drifted.service");
    writeFileSync(drifted, generated.stdout.replace(/^ExecStart=.*$/m, "ExecStart=/usr/bin/node /opt/old-courier/cli.ts start"));
    const doctor = (file: string) => runCli(["--config", configFile, "doctor", "--unit", file, "--workdir", dir], env);
    const [good, bad] = await Promise.all([doctor(unitFile), doctor(drifted)]);
    expect(unitChecks(good)).toEqual([expect.objectContaining({ status: "ok", detail: expect.stringMatching(/matches the config/) })]);
    expect(bad.code).toBe(1);
    const failed = unitChecks(bad).filter((c) => c.status === "fail");
    expect(failed).toHaveLength(1);
    expect(failed[0]?.detail).toMatch(/^ExecStart drifted: the unit has "\/usr\/bin\/node \/opt\/old-courier\/cli\.ts start"/);
  });

  it("reports restart limits, working directory and environment file drift; environment differences by name only", () => {
    const config = loadConfig({ env, configFile });
    const opts = { configFile, envFile, user: null, workdir: dir };
    const unitFile = join(dir, "courier.service");
    writeFileSync(unitFile, renderSystemdUnit(config, opts));
    const check = (c = config, extra: Partial<Parameters<typeof checkUnit>[1]> = {}) => checkUnit(c, { unitFile, configFile, workdir: dir, env, ...extra });
    expect(check()).toEqual([expect.objectContaining({ status: "ok" })]);

    // The config changed after the unit was generated: more restarts, a longer cooldown.
    const changed = loadConfig({ env: { ...env, COURIER_SUPERVISOR_MAX_RESTARTS: "10", COURIER_SUPERVISOR_COOLDOWN_MS: "5000" } });
    const drift = check(changed).filter((c) => c.status === "fail").map((c) => c.detail);
    expect(drift).toEqual([expect.stringMatching(/^StartLimitBurst drifted: the unit has "4", the config gives "11"/), expect.stringMatching(/^RestartSec drifted/)]);

    const elsewhere = check(config, { workdir: join(dir, "other") });
    expect(elsewhere.filter((c) => c.status === "fail").map((c) => c.detail)).toEqual([expect.stringMatching(/^WorkingDirectory drifted/)]);

    // A secret that differs between the service's file and this shell is named, never shown.
    const rotated = check(config, { env: { ...env, COURIER_ADMIN_TOKEN: "another-token-0123456789" } });
    const warning = rotated.find((c) => c.status === "warn");
    expect(warning?.detail).toContain("COURIER_ADMIN_TOKEN");
    expect(JSON.stringify(rotated)).not.toContain(TOKEN);
    expect(JSON.stringify(rotated)).not.toContain("another-token-0123456789");

    rmSync(envFile);
    expect(check().filter((c) => c.status === "fail").map((c) => c.detail)).toEqual([expect.stringMatching(/EnvironmentFile .* does not exist/)]);
    expect(readFileSync(unitFile, "utf8")).toContain("[Service]");
  });
});
