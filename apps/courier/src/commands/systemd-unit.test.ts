/**
 * `courier systemd-unit` renders a hardened Type=notify unit running the compiled CLI, with the
 * shell's settings in an EnvironmentFile and its secrets in a separate 0600 file (never in the
 * unit); `courier doctor --unit` passes on the unit as generated and reports every difference:
 * drifted settings, and COURIER_* variables the shell and the service disagree on.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config/index.js";
import { checkUnit } from "../doctor/check-unit.js";
import { type CliResult, runCli, TEST_TIMEOUTS } from "@courier/testing";
import { COURIER_NODE_FLAGS } from "../wiring/node-flags.js";
import { COMPILED_CLI_PATH, renderSystemdUnit } from "../wiring/systemd-unit.js";

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
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function unitChecks(result: CliResult): Array<{ check: string; status: string; detail: string }> {
  const report = JSON.parse(result.stdout) as { checks: Array<{ check: string; status: string; detail: string }> };
  return report.checks.filter((c) => c.check === "systemd unit");
}

describe("courier systemd-unit and doctor --unit", { timeout: TEST_TIMEOUTS.childProcesses }, () => {
  it("writes the environment files, prints a unit running the compiled CLI, and the doctor reports every difference", async () => {
    const args = ["--config", configFile, "systemd-unit", "--environment-file", envFile];
    const generated = await runCli(args, env);
    expect(generated.code, generated.stderr).toBe(0);
    const lines = generated.stdout.split("\n");
    expect(lines).toContain(`ExecStart=${process.execPath} ${COURIER_NODE_FLAGS.join(" ")} ${COMPILED_CLI_PATH} start --log-format json --config ${configFile}`);
    // The process environment of every launcher (node-flags.ts).
    expect(lines).toContain('Environment="MALLOC_ARENA_MAX=2"');
    for (const line of ["Type=notify", "NotifyAccess=all", "WatchdogSec=60s", "DynamicUser=yes", "StateDirectory=courier", "WorkingDirectory=/var/lib/courier"]) {
      expect(lines).toContain(line);
    }
    for (const line of ["ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "PrivateDevices=yes", "UMask=0077", "SystemCallFilter=@system-service"]) {
      expect(lines).toContain(line);
    }
    // The SQLite store outside the state directory stays writable.
    expect(lines).toContain(`ReadWritePaths=${dir}`);
    const secretsFile = join(dir, "courier.secrets.env");
    expect(lines).toContain(`EnvironmentFile=${envFile}`);
    expect(lines).toContain(`EnvironmentFile=${secretsFile}`);
    // The supervisor's bounds: first cooldown 2.5 s, 3 restarts (+ the first start) per 120 s.
    expect(lines).toContain("RestartSec=3s");
    expect(lines).toContain("StartLimitIntervalSec=120");
    expect(lines).toContain("StartLimitBurst=4");
    // Longer than the 20 s shutdown grace plus the supervisor's stop margin.
    expect(lines).toContain("TimeoutStopSec=30s");
    expect(generated.stdout).not.toContain(TOKEN);
    // Secrets only in the 0600 file; plain settings in the other one.
    expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(secretsFile, "utf8")).toContain(`COURIER_ADMIN_TOKEN="${TOKEN}"`);
    expect(readFileSync(secretsFile, "utf8")).toContain(`COURIER_DB="${env.COURIER_DB}"`);
    expect(readFileSync(envFile, "utf8")).toContain('COURIER_SHUTDOWN_GRACE_MS="20000"');
    expect(readFileSync(envFile, "utf8")).not.toContain(TOKEN);

    const unitFile = join(dir, "courier.service");
    writeFileSync(unitFile, generated.stdout);
    const drifted = join(dir, "drifted.service");
    writeFileSync(drifted, generated.stdout.replace(/^ExecStart=.*$/m, "ExecStart=/usr/bin/node /opt/old-courier/cli.ts start"));
    const doctor = (file: string, shell = env) => runCli(["--config", configFile, "doctor", "--unit", file], shell);
    const rpc = "https://rpc.example.invalid/?api-key=k3y-never-shown";
    // A unit written before the launchers set MALLOC_ARENA_MAX: it runs, and the doctor says what it lacks.
    const older = join(dir, "older.service");
    writeFileSync(older, generated.stdout.replace(/^Environment="MALLOC_ARENA_MAX=2"\n/m, ""));
    const [good, bad, extra, old] = await Promise.all([
      doctor(unitFile),
      doctor(drifted),
      doctor(unitFile, { ...env, COURIER_RPC_URLS: rpc, COURIER_SHUTDOWN_GRACE_MS: "15000" }),
      doctor(older),
    ]);
    expect(unitChecks(good)).toEqual([expect.objectContaining({ status: "ok", detail: expect.stringMatching(/matches the config/) })]);
    expect(readFileSync(older, "utf8")).not.toContain("MALLOC_ARENA_MAX");
    expect(old.code).toBe(0);
    expect(unitChecks(old)).toEqual([
      expect.objectContaining({ status: "ok" }),
      expect.objectContaining({ status: "warn", detail: expect.stringMatching(/^the unit does not set MALLOC_ARENA_MAX=2, which every launcher/) }),
    ]);
    expect(bad.code).toBe(1);
    expect(unitChecks(bad).filter((c) => c.status === "fail").map((c) => c.detail)).toEqual([
      expect.stringMatching(/^ExecStart drifted: the unit has "\/usr\/bin\/node \/opt\/old-courier\/cli\.ts start"/),
    ]);
    // A shell variable the unit does not carry, and one it carries with another value: each reported.
    expect(extra.code).toBe(1);
    const details = unitChecks(extra).filter((c) => c.status === "fail").map((c) => c.detail);
    expect(details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^COURIER_RPC_URLS is set in this shell \(\(secret\)\) but not in the unit's environment/),
        expect.stringMatching(/^COURIER_SHUTDOWN_GRACE_MS differs: the unit's environment has "20000", this shell "15000"/),
      ]),
    );
    expect(extra.stdout).not.toContain("k3y-never-shown");
  });

  it("refuses a secret in the unit itself, and carries plain settings as Environment= lines without a file", async () => {
    const refused = await runCli(["systemd-unit"], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
    expect(refused.stderr).toMatch(/COURIER_ADMIN_TOKEN.* secrets: a unit file is readable by anyone; pass --environment-file/);
    expect(refused.stderr).not.toContain(TOKEN);
    expect(refused.stdout).toBe("");

    const plain = await runCli(["systemd-unit", "--user", "courier", "--workdir", dir], { COURIER_LOCALNET_PORT: "9", COURIER_LOG_LEVEL: "warn" });
    expect(plain.code, plain.stderr).toBe(0);
    const lines = plain.stdout.split("\n");
    expect(lines).toContain('Environment="COURIER_LOCALNET_PORT=9"');
    expect(lines).toContain('Environment="COURIER_LOG_LEVEL=warn"');
    expect(lines).toContain("User=courier");
    expect(lines).not.toContain("DynamicUser=yes");
    expect(lines).toContain(`WorkingDirectory=${dir}`);
    expect(lines).toContain(`ReadWritePaths=${dir}`);
  });

  it("reports restart limits and sandbox drift, and a missing environment file", () => {
    const config = loadConfig({ env, configFile });
    const secrets = join(dir, "courier.secrets.env");
    writeFileSync(envFile, "COURIER_LOCALNET_PORT=9\n");
    writeFileSync(secrets, `COURIER_ADMIN_TOKEN=${TOKEN}\n`, { mode: 0o600 });
    const shell = { COURIER_LOCALNET_PORT: "9", COURIER_ADMIN_TOKEN: TOKEN };
    const opts = { configFile, envFile, secretsFile: secrets, environment: [], user: null, workdir: null };
    const unitFile = join(dir, "courier.service");
    const unit = renderSystemdUnit(config, opts);
    writeFileSync(unitFile, unit);
    const fails = (c = config, text = unit, e: Record<string, string> = shell) => {
      writeFileSync(unitFile, text);
      return checkUnit(c, { unitFile, configFile, env: e }).filter((x) => x.status === "fail").map((x) => x.detail);
    };
    expect(fails()).toEqual([]);

    // The config changed after the unit was generated: more restarts, a longer cooldown.
    const changed = loadConfig({ env: { ...env, COURIER_SUPERVISOR_MAX_RESTARTS: "10", COURIER_SUPERVISOR_COOLDOWN_MS: "5000" }, configFile });
    expect(fails(changed)).toEqual([expect.stringMatching(/^StartLimitBurst drifted: the unit has "4", the config gives "11"/), expect.stringMatching(/^RestartSec drifted/)]);
    // A sandbox setting removed by hand, and one added.
    expect(fails(config, `${unit.replace("ProtectSystem=strict\n", "")}\n[Service]\nMemoryDenyWriteExecute=yes\n`)).toEqual([
      expect.stringMatching(/^ProtectSystem drifted: the unit has no setting, the config gives "strict"/),
      expect.stringMatching(/^MemoryDenyWriteExecute drifted: the unit has "yes", the config gives none/),
    ]);
    // A rotated secret is named, never shown.
    const rotated = fails(config, unit, { ...shell, COURIER_ADMIN_TOKEN: "another-token-0123456789" });
    expect(rotated).toEqual([expect.stringMatching(/^COURIER_ADMIN_TOKEN differs between the unit's environment and this shell/)]);
    expect(JSON.stringify(rotated)).not.toContain(TOKEN);

    rmSync(envFile);
    expect(fails()).toEqual(expect.arrayContaining([expect.stringMatching(/EnvironmentFile .* does not exist/)]));
  });
});
