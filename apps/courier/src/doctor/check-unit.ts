/**
 * Doctor: does a systemd unit file still match what `courier systemd-unit` generates from this
 * config? ExecStart (node, CLI, --config), WorkingDirectory, EnvironmentFile and the restart
 * limits are compared; any difference is a failed check naming the setting, both values shown
 * (a unit holds no secrets). The unit's User= and EnvironmentFile= are the operator's choices:
 * unless --user / --environment-file say otherwise they are taken from the unit itself, and the
 * EnvironmentFile must exist. COURIER_* variables of the EnvironmentFile that differ from the
 * environment the doctor runs in are a warning, by name only (their values may be secrets).
 */
import { existsSync, readFileSync } from "node:fs";
import { coerceError } from "@courier/agent";
import { type Config, findUnknownEnv } from "../config/index.js";
import { UNIT_KEYS, getUnitSettings, parseUnitFile } from "../wiring/systemd-unit.js";
import type { DoctorCheck } from "./types.js";

export interface CheckUnitOptions {
  unitFile: string;
  /** The --config file the doctor itself was given (the unit's ExecStart should pass the same). */
  configFile: string | null;
  /** Expected WorkingDirectory (default: the doctor's working directory). */
  workdir: string;
  envFile?: string | null;
  user?: string | null;
  /** The doctor's environment (compared with the unit's EnvironmentFile). */
  env: Record<string, string | undefined>;
}

export function checkUnit(config: Config, opts: CheckUnitOptions): DoctorCheck[] {
  let text: string;
  try {
    text = readFileSync(opts.unitFile, "utf8");
  } catch (e) {
    return [{ check: "systemd unit", status: "fail", detail: `${opts.unitFile} cannot be read: ${coerceError(e).message}` }];
  }
  const actual = parseUnitFile(text);
  const expected = getUnitSettings(config, {
    configFile: opts.configFile,
    envFile: opts.envFile ?? actual.get("EnvironmentFile") ?? null,
    user: opts.user ?? actual.get("User") ?? null,
    workdir: opts.workdir,
  });
  const checks: DoctorCheck[] = [];
  for (const key of UNIT_KEYS) {
    const want = expected[key];
    const have = actual.get(key) ?? null;
    if (want === have) continue;
    checks.push({
      check: "systemd unit",
      status: "fail",
      detail: `${key} drifted: the unit has ${have === null ? "no setting" : JSON.stringify(have)}, the config gives ${want === null ? "none" : JSON.stringify(want)} (regenerate: courier systemd-unit)`,
    });
  }
  const envFile = expected.EnvironmentFile;
  if (envFile !== null) checks.push(...checkEnvironmentFile(envFile, opts.env));
  if (checks.every((c) => c.status !== "fail")) {
    checks.unshift({ check: "systemd unit", status: "ok", detail: `${opts.unitFile} matches the config (${UNIT_KEYS.length} settings compared)` });
  }
  return checks;
}

function checkEnvironmentFile(path: string, env: Record<string, string | undefined>): DoctorCheck[] {
  if (!existsSync(path)) return [{ check: "systemd unit", status: "fail", detail: `EnvironmentFile ${path} does not exist` }];
  let vars: Map<string, string>;
  try {
    vars = parseEnvironmentFile(readFileSync(path, "utf8"));
  } catch (e) {
    return [{ check: "systemd unit", status: "fail", detail: `EnvironmentFile ${path} cannot be read: ${coerceError(e).message}` }];
  }
  const names = new Set([...vars.keys(), ...Object.keys(env)].filter((n) => n.startsWith("COURIER_")));
  const differing = [...names].filter((n) => (vars.get(n) ?? undefined) !== env[n]).sort();
  const unknown = findUnknownEnv(Object.fromEntries(vars));
  const out: DoctorCheck[] = [];
  if (differing.length > 0) {
    out.push({
      check: "systemd unit",
      status: "warn",
      detail: `the service's EnvironmentFile and this shell differ in ${differing.join(", ")}: run the doctor with that file loaded to check what the service sees`,
    });
  }
  if (unknown.length > 0) {
    out.push({ check: "systemd unit", status: "warn", detail: `EnvironmentFile ${path} sets ${unknown.join(", ")}, not Courier variables (typos?)` });
  }
  return out;
}

/** systemd EnvironmentFile syntax: `KEY=VALUE` lines, `#`/`;` comments, optional quotes. */
function parseEnvironmentFile(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0] as string)) value = value.slice(1, -1);
    vars.set(line.slice(0, eq).trim(), value);
  }
  return vars;
}
