/**
 * The environment a systemd service of Courier runs with: the COURIER_* variables of the shell
 * that generated its unit, split into plain settings and secrets (the config fields marked
 * secret: store URL, RPC URLs with API keys, admin token, webhook URLs and secrets). Plain ones
 * go to an EnvironmentFile (or `Environment=` lines of the unit); secrets only ever to a separate
 * file of mode 0600, never into the unit, which `systemctl cat` shows to anyone.
 */
import { FIELDS, type FieldSpec } from "../config/index.js";

const SECRET_ENV = new Set<string>((Object.values(FIELDS) as FieldSpec[]).flatMap((f) => (f.secret === true ? [f.env] : [])));

export function isSecretEnv(name: string): boolean {
  return SECRET_ENV.has(name);
}

export interface ServiceEnv {
  plain: Array<[string, string]>;
  secret: Array<[string, string]>;
}

/** The COURIER_* variables of `env`, sorted by name, plain and secret apart. */
export function getServiceEnv(env: Record<string, string | undefined>): ServiceEnv {
  const out: ServiceEnv = { plain: [], secret: [] };
  for (const name of Object.keys(env).sort()) {
    const value = env[name];
    if (!name.startsWith("COURIER_") || value === undefined) continue;
    (isSecretEnv(name) ? out.secret : out.plain).push([name, value]);
  }
  return out;
}

/** An EnvironmentFile: one `KEY="value"` line each (quotes and backslashes escaped). */
export function renderEnvironmentFile(vars: Array<[string, string]>, header: string): string {
  const lines = vars.map(([k, v]) => `${k}="${v.replace(/["\\]/g, "\\$&")}"`);
  return `# ${header}\n${lines.join("\n")}${lines.length > 0 ? "\n" : ""}`;
}

/** systemd EnvironmentFile syntax: `KEY=VALUE` lines, `#`/`;` comments, optional quotes. */
export function parseEnvironmentFile(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    vars.set(line.slice(0, eq).trim(), unquote(line.slice(eq + 1).trim()));
  }
  return vars;
}

/** The value of an `Environment=` line of a unit (`"KEY=value"` quoted, `%%` for a literal %). */
export function renderEnvironmentLine(name: string, value: string): string {
  return `"${`${name}=${value}`.replace(/%/g, "%%").replace(/["\\]/g, "\\$&")}"`;
}

/** The variables of `Environment=` values (each possibly several quoted `KEY=value` words). */
export function parseEnvironmentLines(values: string[]): Map<string, string> {
  const vars = new Map<string, string>();
  for (const value of values) {
    for (const word of value.match(/"(?:[^"\\]|\\.)*"|'[^']*'|\S+/g) ?? []) {
      const assignment = unquote(word).replace(/%%/g, "%");
      const eq = assignment.indexOf("=");
      if (eq > 0) vars.set(assignment.slice(0, eq), assignment.slice(eq + 1));
    }
  }
  return vars;
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) return value.slice(1, -1).replace(/\\(["\\])/g, "$1");
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1);
  return value;
}
