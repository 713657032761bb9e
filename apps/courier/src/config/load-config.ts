/**
 * Loading the config: defaults, then the `--config` JSON file, then COURIER_* variables, then
 * explicit overrides (CLI flags). Each value is validated on its own so the error names the one
 * variable that is wrong, in one line. This is the only module that looks at the environment,
 * and even it receives the environment as an argument.
 */
import { readFileSync } from "node:fs";
import { hostname as osHostname } from "node:os";
import { CourierError, coerceError } from "@courier/agent";
import { CONFIG_KEYS, type ConfigKey, FIELDS, type FieldSpec } from "./fields.js";
import { CONFIG_DEFAULTS, type Config, type ConfigValues, configSchema } from "./schema.js";

export interface LoadConfigOptions {
  /** The environment to read COURIER_* from (pass `process.env` at the entry point). */
  env: Record<string, string | undefined>;
  /** Path of a JSON config file with camelCase keys. */
  configFile?: string | null;
  /** Applied last (CLI flags such as --no-demo). */
  overrides?: Partial<ConfigValues>;
  /** For the default instance id; defaults to the machine's. */
  hostname?: string;
  pid?: number;
}

export function loadConfig(options: LoadConfigOptions): Config {
  const values: Record<string, unknown> = { ...CONFIG_DEFAULTS };
  if (options.configFile) Object.assign(values, readConfigFile(options.configFile));
  Object.assign(values, readEnv(options.env));
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    if (value !== undefined) values[key] = checkValue(key as ConfigKey, value, FIELDS[key as ConfigKey].env);
  }
  const parsed = configSchema.safeParse(values);
  if (!parsed.success) {
    // Every value was checked one by one above; this only guards the object as a whole.
    throw new CourierError("COURIER__CONFIG", `config: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  }
  const instanceId = parsed.data.instanceId ?? `${options.hostname ?? osHostname()}-${options.pid ?? process.pid}`;
  return { ...parsed.data, instanceId };
}

/** COURIER_* variables that Courier does not know (likely typos); reported by `courier doctor`. */
export function findUnknownEnv(env: Record<string, string | undefined>): string[] {
  const known = new Set<string>(CONFIG_KEYS.map((k) => FIELDS[k].env));
  return Object.keys(env)
    .filter((name) => name.startsWith("COURIER_") && !known.has(name))
    .sort();
}

function readEnv(env: Record<string, string | undefined>): Partial<Record<ConfigKey, unknown>> {
  const out: Partial<Record<ConfigKey, unknown>> = {};
  for (const key of CONFIG_KEYS) {
    const spec: FieldSpec = FIELDS[key];
    const raw = env[spec.env];
    if (raw === undefined) continue;
    out[key] = checkValue(key, fromEnvString(spec, raw), spec.env, raw);
  }
  return out;
}

function readConfigFile(path: string): Partial<Record<ConfigKey, unknown>> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const err = coerceError(e);
    throw new CourierError("COURIER__CONFIG", `--config ${path}: cannot read the file (${err.message})`, { path });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CourierError("COURIER__CONFIG", `--config ${path}: not valid JSON (${coerceError(e).message})`, { path });
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new CourierError("COURIER__CONFIG", `--config ${path}: expected a JSON object with camelCase keys`, { path });
  }
  const out: Partial<Record<ConfigKey, unknown>> = {};
  for (const [key, value] of Object.entries(json)) {
    if (!(key in FIELDS)) {
      throw new CourierError(
        "COURIER__CONFIG",
        `--config ${path}: unknown key ${JSON.stringify(key)} (known: ${CONFIG_KEYS.join(", ")})`,
        { path, field: key },
      );
    }
    const spec: FieldSpec = FIELDS[key as ConfigKey];
    out[key as ConfigKey] = checkValue(key as ConfigKey, value, `${key} (${spec.env}) in ${path}`);
  }
  return out;
}

/** Validate one value against its field schema; the error names `label` and nothing else. */
function checkValue(key: ConfigKey, value: unknown, label: string, raw: unknown = value): unknown {
  const spec: FieldSpec = FIELDS[key];
  const result = spec.schema.safeParse(value);
  if (result.success) return result.data;
  throw new CourierError("COURIER__CONFIG", `${label}: expected ${spec.expect}, got ${describeValue(spec, raw)}`, {
    field: spec.env,
  });
}

/** Turn an environment string into the value its field expects (validation follows). */
function fromEnvString(spec: FieldSpec, raw: string): unknown {
  const text = raw.trim();
  // An empty variable clears an optional setting; for a required one it is an error below.
  if (text === "" && spec.kind !== "list" && spec.schema.safeParse(null).success) return null;
  switch (spec.kind) {
    case "int":
      return /^-?\d+$/.test(text) ? Number(text) : raw;
    case "list":
      return text === ""
        ? []
        : text
            .split(",")
            .map((s) => s.trim())
            .filter((s) => s.length > 0);
    case "bool": {
      const lower = text.toLowerCase();
      if (["true", "1", "yes", "on"].includes(lower)) return true;
      if (["false", "0", "no", "off"].includes(lower)) return false;
      return raw;
    }
    case "enum":
      return text.toLowerCase();
    case "string":
      return text;
  }
}

function describeValue(spec: FieldSpec, raw: unknown): string {
  if (spec.secret) return "an invalid value (not shown: it may hold a secret)";
  const text = typeof raw === "string" ? JSON.stringify(raw) : safeJson(raw);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
