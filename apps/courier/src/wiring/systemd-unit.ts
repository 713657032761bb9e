/**
 * The systemd unit of `courier start`, generated from the same config the process reads, so
 * the service and the CLI cannot drift apart (`courier doctor --unit FILE` compares a unit file
 * with what this renders, setting by setting, and the service's environment with the shell's).
 *
 * - ExecStart runs the compiled CLI (dist/cli.js) with node: no TypeScript or dev dependency.
 * - Type=notify: READY=1 once the crank loop has completed its first iteration, WATCHDOG=1 from
 *   the loop while it keeps iterating (wiring/systemd-notify.ts); a stuck loop is killed and
 *   restarted by systemd after WatchdogSec. NotifyAccess=all because the messages come from the
 *   `systemd-notify` helper the process spawns (Node has no unix datagram socket).
 * - Two layers of restarts with the same bounds: the in-process supervisor restarts a crashed
 *   loop after a cooldown, at most COURIER_SUPERVISOR_MAX_RESTARTS times per
 *   COURIER_SUPERVISOR_WINDOW_MS; systemd restarts a failed process after RestartSec, at most
 *   StartLimitBurst starts per StartLimitIntervalSec.
 * - The store lives in the StateDirectory (/var/lib/courier, the working directory unless
 *   --workdir says otherwise), the service runs as a DynamicUser unless --user names one, and
 *   the sandbox settings below are the ones Node tolerates (see docs/deployment.md for the ones
 *   left out: MemoryDenyWriteExecute breaks V8's JIT).
 * - The unit carries no secret: those go to the 0600 secrets EnvironmentFile.
 */
import { dirname, isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { COURIER_NODE_FLAGS, COURIER_PROCESS_ENV } from "./node-flags.js";
import type { Config } from "../config/index.js";
import { renderEnvironmentLine } from "./unit-environment.js";

/** The compiled CLI of this package (src/wiring and dist/wiring both sit two levels below it). */
export const COMPILED_CLI_PATH = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
export const STATE_DIRECTORY = "courier";
export const STATE_PATH = `/var/lib/${STATE_DIRECTORY}`;
/** systemd kills a loop that has not pinged for this long (the loop iterates at least every second). */
export const WATCHDOG_SEC = 60;
/** The supervisor waits shutdownGraceMs + this for a loop's stop (see start.ts). */
const STOP_MARGIN_MS = 5_000;
/** Extra seconds for closing the admin service, the pool and the store after the crank. */
const CLOSE_MARGIN_SEC = 5;

export interface SystemdUnitOptions {
  /** The --config file the service passes to `courier start` (made absolute). */
  configFile: string | null;
  /** EnvironmentFile= with the plain COURIER_* variables. */
  envFile: string | null;
  /** EnvironmentFile= with the secret COURIER_* variables (mode 0600). */
  secretsFile: string | null;
  /** Plain COURIER_* variables carried by `Environment=` lines (when there is no envFile). */
  environment: Array<[string, string]>;
  /** User= (null: DynamicUser=yes). */
  user: string | null;
  /** WorkingDirectory= (null: the state directory). Relative paths of the config resolve against it. */
  workdir: string | null;
  /** The node binary (default: the one running this CLI). */
  nodePath?: string;
  /** The CLI script (default: this package's dist/cli.js). */
  cliPath?: string;
}

export type UnitConfig = Pick<Config, "supervisorMaxRestarts" | "supervisorWindowMs" | "supervisorCooldownMs" | "shutdownGraceMs" | "db">;

export interface UnitEntry {
  section: "Unit" | "Service" | "Install";
  key: string;
  value: string;
}

/** Every setting of the unit, in the order rendered (a key may repeat: EnvironmentFile, Environment). */
export function getUnitEntries(config: UnitConfig, opts: SystemdUnitOptions): UnitEntry[] {
  const cwd = opts.workdir === null ? STATE_PATH : resolve(opts.workdir);
  const cli = opts.cliPath ?? COMPILED_CLI_PATH;
  const argv = [opts.nodePath ?? process.execPath, ...COURIER_NODE_FLAGS, cli, "start", "--log-format", "json"];
  if (opts.configFile) argv.push("--config", resolve(cwd, opts.configFile));
  const readPaths = [cli, argv[0] as string, opts.configFile, opts.envFile, opts.secretsFile].filter((p): p is string => p !== null);
  const writePaths = getWritePaths(config, cwd, opts.workdir !== null);
  const u = (key: string, value: string): UnitEntry => ({ section: "Unit", key, value });
  const s = (key: string, value: string): UnitEntry => ({ section: "Service", key, value });
  return [
    u("Description", "Courier crank agent (scheduled Solana operations)"),
    u("Wants", "network-online.target"),
    u("After", "network-online.target"),
    u("StartLimitIntervalSec", String(Math.ceil(config.supervisorWindowMs / 1000))),
    u("StartLimitBurst", String(config.supervisorMaxRestarts + 1)),
    s("Type", "notify"),
    s("NotifyAccess", "all"),
    s("WatchdogSec", `${WATCHDOG_SEC}s`),
    s("TimeoutStartSec", "120s"),
    ...(opts.user === null ? [s("DynamicUser", "yes")] : [s("User", opts.user)]),
    s("StateDirectory", STATE_DIRECTORY),
    s("StateDirectoryMode", "0700"),
    s("WorkingDirectory", cwd),
    ...(opts.envFile ? [s("EnvironmentFile", resolve(cwd, opts.envFile))] : []),
    ...(opts.secretsFile ? [s("EnvironmentFile", resolve(cwd, opts.secretsFile))] : []),
    ...Object.entries(COURIER_PROCESS_ENV).map(([k, v]) => s("Environment", renderEnvironmentLine(k, v))),
    ...opts.environment.map(([k, v]) => s("Environment", renderEnvironmentLine(k, v))),
    s("ExecStart", argv.map(quoteArg).join(" ")),
    s("Restart", "on-failure"),
    s("RestartSec", `${Math.max(1, Math.ceil(config.supervisorCooldownMs / 1000))}s`),
    s("KillSignal", "SIGTERM"),
    s("TimeoutStopSec", `${Math.ceil((config.shutdownGraceMs + STOP_MARGIN_MS) / 1000) + CLOSE_MARGIN_SEC}s`),
    // Sandbox. Left out on purpose: MemoryDenyWriteExecute (V8 compiles code into W+X memory).
    s("UMask", "0077"),
    s("NoNewPrivileges", "yes"),
    s("CapabilityBoundingSet", ""),
    s("AmbientCapabilities", ""),
    s("ProtectSystem", "strict"),
    ...writePaths.map((p) => s("ReadWritePaths", p)),
    // A checkout under /home stays readable (the CLI, the config); nothing there is writable.
    s("ProtectHome", readPaths.some(isUnderHome) ? "read-only" : "yes"),
    s("PrivateTmp", "yes"),
    s("PrivateDevices", "yes"),
    s("PrivateUsers", "yes"),
    s("PrivateMounts", "yes"),
    s("ProtectKernelTunables", "yes"),
    s("ProtectKernelModules", "yes"),
    s("ProtectKernelLogs", "yes"),
    s("ProtectControlGroups", "yes"),
    s("ProtectClock", "yes"),
    s("ProtectHostname", "yes"),
    s("ProtectProc", "invisible"),
    s("ProcSubset", "pid"),
    s("RestrictAddressFamilies", "AF_UNIX AF_INET AF_INET6"),
    s("RestrictNamespaces", "yes"),
    s("RestrictRealtime", "yes"),
    s("RestrictSUIDSGID", "yes"),
    s("LockPersonality", "yes"),
    s("RemoveIPC", "yes"),
    s("KeyringMode", "private"),
    s("DevicePolicy", "closed"),
    s("SystemCallArchitectures", "native"),
    s("SystemCallFilter", "@system-service"),
    s("SystemCallFilter", "~@privileged @resources"),
    // A filtered call fails with EPERM instead of killing the process (Node tries setrlimit at start).
    s("SystemCallErrorNumber", "EPERM"),
    { section: "Install", key: "WantedBy", value: "multi-user.target" },
  ];
}

export function renderSystemdUnit(config: UnitConfig, opts: SystemdUnitOptions): string {
  const entries = getUnitEntries(config, opts);
  const lines = [
    "# Generated by `courier systemd-unit` from the Courier config.",
    "# Check it against the config with `courier doctor --unit FILE`; regenerate rather than edit.",
  ];
  for (const section of ["Unit", "Service", "Install"] as const) {
    if (section !== "Unit") lines.push("");
    lines.push(`[${section}]`, ...entries.filter((e) => e.section === section).map((e) => `${e.key}=${e.value}`));
  }
  return `${lines.join("\n")}\n`;
}

/** The unit's settings: every value of each key, in file order (systemd lets some keys repeat). */
export function parseUnitFile(text: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";") || line.startsWith("[")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    settings.set(key, [...(settings.get(key) ?? []), line.slice(eq + 1).trim()]);
  }
  return settings;
}

/** Directories the service writes besides its state directory: a custom workdir, an SQLite store elsewhere. */
function getWritePaths(config: UnitConfig, cwd: string, customWorkdir: boolean): string[] {
  const paths = new Set<string>();
  if (customWorkdir) paths.add(cwd);
  if (!/^postgres(ql)?:\/\//.test(config.db)) {
    const dir = dirname(isAbsolute(config.db) ? config.db : resolve(cwd, config.db));
    if (dir !== cwd && !dir.startsWith(`${cwd}/`) && !dir.startsWith(`${STATE_PATH}/`) && dir !== STATE_PATH) paths.add(dir);
  }
  return [...paths];
}

function isUnderHome(path: string): boolean {
  return /^\/(home|root|run\/user)(\/|$)/.test(resolve(path));
}

/** systemd's command-line quoting: double quotes around an argument with blanks or quotes; `%` doubled. */
function quoteArg(arg: string): string {
  const escaped = arg.replace(/%/g, "%%");
  return /[\s"'\\]/.test(escaped) ? `"${escaped.replace(/["\\]/g, "\\$&")}"` : escaped;
}
