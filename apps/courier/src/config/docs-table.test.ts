/** README.md and docs/configuration.md must list exactly the schema's variables, as the schema renders them. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CONFIG_KEYS, FIELDS, type FieldSpec } from "./fields.js";
import { renderConfigTable } from "./render-table.js";
import { CONFIG_DEFAULTS } from "./schema.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");

function getGeneratedTable(file: string): string {
  const text = readFileSync(join(ROOT, file), "utf8");
  const match = /<!-- config-table:start[^>]*-->\n([\s\S]*?)\n<!-- config-table:end -->/.exec(text);
  if (!match) throw new Error(`${file} has no <!-- config-table:start --> … <!-- config-table:end --> block`);
  return match[1] as string;
}

function getEnvNames(table: string): string[] {
  return [...table.matchAll(/^\| (COURIER_[A-Z_]+) \|/gm)].map((m) => m[1] as string).sort();
}

describe("configuration docs", () => {
  const schemaNames = CONFIG_KEYS.map((k) => FIELDS[k].env).sort();

  it.each(["README.md", "docs/configuration.md"])("%s lists exactly the schema's variables, as rendered", (file) => {
    const table = getGeneratedTable(file);
    expect(getEnvNames(table)).toEqual(schemaNames);
    // Regenerate with: pnpm -s courier config --table
    expect(table).toBe(renderConfigTable());
  });

  it("documents each default as the defaults object has it", () => {
    for (const key of CONFIG_KEYS) {
      const spec: FieldSpec = FIELDS[key];
      const value = CONFIG_DEFAULTS[key];
      if (typeof value === "number" || typeof value === "boolean") expect(spec.defaultDoc, key).toBe(String(value));
      else if (typeof value === "string") expect(spec.defaultDoc, key).toBe(`\`${value}\``);
      else if (value === null) expect(spec.defaultDoc, key).toMatch(/none|localnet|<hostname>/);
    }
  });

  it("covers every variable of the shared contract (when ../shared is beside the repository)", () => {
    const contract = join(ROOT, "../shared/CONTRACT.md");
    // Variables only: error codes (COURIER__AREA__WHAT) have double underscores and are not config.
    if (!existsSync(contract)) return;
    const named = new Set([...readFileSync(contract, "utf8").matchAll(/\b(COURIER_[A-Z]+(?:_[A-Z]+)*)\b/g)].map((m) => m[1] as string));
    for (const name of named) expect(schemaNames, name).toContain(name);
  });

  it("README links only to files that exist", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const targets = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1] as string).filter((t) => !/^[a-z]+:/.test(t));
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) expect(existsSync(join(ROOT, target)), target).toBe(true);
  });
});
