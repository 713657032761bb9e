/** The configuration table of the docs, rendered from FIELDS (README and docs are checked against it). */
import { CONFIG_KEYS, FIELDS, type FieldSpec } from "./fields.js";

export function renderConfigTable(): string {
  const lines = ["| variable | config file key | default | meaning |", "|---|---|---|---|"];
  for (const key of CONFIG_KEYS) {
    const spec: FieldSpec = FIELDS[key];
    lines.push(`| ${spec.env} | \`${key}\` | ${spec.defaultDoc} | ${spec.doc} |`);
  }
  return lines.join("\n");
}
