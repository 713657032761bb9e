/**
 * Doctor: does a systemd unit file still carry what `courier systemd-unit` generates from this
 * config and this shell? Three comparisons, every difference a failed check of its own:
 * - the unit's settings (ExecStart with node, CLI and --config file, restart limits, watchdog,
 *   sandbox, …) with the generated ones; User=/DynamicUser= and WorkingDirectory= are the
 *   operator's choices and are taken from the unit unless --user / --workdir say otherwise;
 * - the service's environment (its EnvironmentFile(s) and Environment= lines) with this shell's
 *   COURIER_* variables: a variable set on one side only, or with another value, would make the
 *   service run another config than the one checked here (secrets are named, never shown);
 * - the --config file through ExecStart (the same file, or a difference).
 */
import { existsSync, readFileSync } from "node:fs";
import { coerceError } from "@courier/agent";
import { type Config, findUnknownEnv } from "../config/index.js";
import { COURIER_PROCESS_ENV } from "../wiring/node-flags.js";
import { STATE_PATH, getUnitEntries, parseUnitFile } from "../wiring/systemd-unit.js";
import { getServiceEnv, isSecretEnv, parseEnvironmentFile, parseEnvironmentLines } from "../wiring/unit-environment.js";
import type { DoctorCheck } from "./types.js";

export interface CheckUnitOptions {
  unitFile: string;
  /** The --config file the doctor itself was given (the unit's ExecStart should pass the same). */
  configFile: string | null;
  /** Expected WorkingDirectory (default: the unit's). */
  workdir?: string | null;
  user?: string | null;
  /** The doctor's environment (compared with the service's). */
  env: Record<string, string | undefined>;
}

/** Compared as the service's environment, not as settings. */
const ENV_KEYS = new Set(["EnvironmentFile", "Environment"]);
const CHECK = "systemd unit";

export function checkUnit(config: Config, opts: CheckUnitOptions): DoctorCheck[] {
  let text: string;
  try {
    text = readFileSync(opts.unitFile, "utf8");
  } catch (e) {
    return [{ check: CHECK, status: "fail", detail: `${opts.unitFile} cannot be read: ${coerceError(e).message}` }];
  }
  const actual = parseUnitFile(text);
  const workdir = opts.workdir ?? actual.get("WorkingDirectory")?.at(-1) ?? null;
  const expected = getUnitEntries(config, {
    configFile: opts.configFile,
    envFile: null,
    secretsFile: null,
    environment: [],
    user: opts.user ?? actual.get("User")?.at(-1) ?? null,
    workdir: workdir === STATE_PATH ? null : workdir,
  });
  const want = new Map<string, string[]>();
  for (const e of expected) if (!ENV_KEYS.has(e.key)) want.set(e.key, [...(want.get(e.key) ?? []), e.value]);
  const checks: DoctorCheck[] = [];
  for (const key of new Set([...want.keys(), ...actual.keys()])) {
    if (ENV_KEYS.has(key)) continue;
    const w = want.get(key) ?? [];
    const h = actual.get(key) ?? [];
    if (w.join("\n") === h.join("\n")) continue;
    checks.push({ check: CHECK, status: "fail", detail: `${key} drifted: the unit has ${show(h, "no setting")}, the config gives ${show(w, "none")} (regenerate: courier systemd-unit)` });
  }
  const settingsCompared = want.size;
  const env = readServiceEnv(actual);
  checks.push(...env.problems, ...compareEnv(env.vars, opts.env));
  // The process environment every launcher sets (node-flags.ts): a unit written before it still
  // runs, only without it.
  const unitEnv = parseEnvironmentLines(actual.get("Environment") ?? []);
  for (const [k, v] of Object.entries(COURIER_PROCESS_ENV)) {
    if (unitEnv.get(k) !== v) {
      checks.push({ check: CHECK, status: "warn", detail: `the unit does not set ${k}=${v}, which every launcher of courier start sets (docs/configuration.md, "Node flags"; regenerate: courier systemd-unit)` });
    }
  }
  if (checks.every((c) => c.status !== "fail")) {
    checks.unshift({
      check: CHECK,
      status: "ok",
      detail: `${opts.unitFile} matches the config (${settingsCompared} settings and ${env.vars.size} COURIER_* variables compared)`,
    });
  }
  return checks;
}

function show(values: string[], none: string): string {
  return values.length === 0 ? none : values.map((v) => JSON.stringify(v)).join(" + ");
}

/** The COURIER_* environment the service gets: its EnvironmentFile(s), then its Environment= lines. */
function readServiceEnv(unit: Map<string, string[]>): { vars: Map<string, string>; problems: DoctorCheck[] } {
  const vars = new Map<string, string>();
  const problems: DoctorCheck[] = [];
  for (const entry of unit.get("EnvironmentFile") ?? []) {
    const optional = entry.startsWith("-");
    const path = optional ? entry.slice(1) : entry;
    if (!existsSync(path)) {
      if (!optional) problems.push({ check: CHECK, status: "fail", detail: `EnvironmentFile ${path} does not exist` });
      continue;
    }
    try {
      for (const [k, v] of parseEnvironmentFile(readFileSync(path, "utf8"))) vars.set(k, v);
    } catch (e) {
      problems.push({ check: CHECK, status: "fail", detail: `EnvironmentFile ${path} cannot be read: ${coerceError(e).message}` });
    }
  }
  for (const [k, v] of parseEnvironmentLines(unit.get("Environment") ?? [])) vars.set(k, v);
  for (const name of [...vars.keys()]) if (!name.startsWith("COURIER_")) vars.delete(name);
  const unknown = findUnknownEnv(Object.fromEntries(vars));
  if (unknown.length > 0) problems.push({ check: CHECK, status: "warn", detail: `the service's environment sets ${unknown.join(", ")}, not Courier variables (typos?)` });
  return { vars, problems };
}

/** One failed check per COURIER_* variable the service and this shell disagree on. */
function compareEnv(service: Map<string, string>, shellEnv: Record<string, string | undefined>): DoctorCheck[] {
  const shell = new Map(getServiceEnv(shellEnv).plain.concat(getServiceEnv(shellEnv).secret));
  const out: DoctorCheck[] = [];
  for (const name of [...new Set([...service.keys(), ...shell.keys()])].sort()) {
    const s = service.get(name);
    const h = shell.get(name);
    if (s === h) continue;
    const value = (v: string) => (isSecretEnv(name) ? "(secret)" : JSON.stringify(v));
    const detail =
      s === undefined
        ? `${name} is set in this shell (${value(h as string)}) but not in the unit's environment: the service would run without it`
        : h === undefined
          ? `${name} is set in the unit's environment (${value(s)}) but not in this shell`
          : isSecretEnv(name)
            ? `${name} differs between the unit's environment and this shell (a secret: values not shown)`
            : `${name} differs: the unit's environment has ${value(s)}, this shell ${value(h)}`;
    out.push({ check: CHECK, status: "fail", detail: `${detail} (regenerate: courier systemd-unit --environment-file …)` });
  }
  return out;
}
