/**
 * Courier's version: the `version` of apps/courier/package.json, read beside the running code
 * (src/ under tsx and dist/ when built sit at the same depth, in the repo and in a deployed copy).
 */
import { readFileSync } from "node:fs";

let cached: string | null = null;

export function getCourierVersion(): string {
  if (cached === null) {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: unknown };
    cached = typeof pkg.version === "string" ? pkg.version : "0.0.0";
  }
  return cached;
}
