/**
 * Issue 17: dependency hygiene. bigint-buffer (GHSA-3gc7-fjrx-p6mg, no fixed version) stays out
 * of the production tree (`pnpm why bigint-buffer --prod` is empty), and docs/dependencies.md
 * names every runtime dependency of every workspace package.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, getPnpm, getProductionEnv } from "./deploy.js";

const run = promisify(execFile);

function getWorkspacePackages(): Array<{ dir: string; name: string; dependencies: Record<string, string> }> {
  return ["packages", "apps"].flatMap((group) =>
    readdirSync(join(REPO_ROOT, group))
      .filter((d) => existsSync(join(REPO_ROOT, group, d, "package.json")))
      .map((d) => {
        const pkg = JSON.parse(readFileSync(join(REPO_ROOT, group, d, "package.json"), "utf8")) as { name: string; dependencies?: Record<string, string> };
        return { dir: `${group}/${d}`, name: pkg.name, dependencies: pkg.dependencies ?? {} };
      }),
  );
}

describe("production dependencies", () => {
  it("do not include bigint-buffer", async () => {
    const pnpm = getPnpm();
    const why = (extra: string[]) => run(pnpm.file, [...pnpm.args, "why", "bigint-buffer", ...extra, "-r"], { cwd: REPO_ROOT, env: getProductionEnv({}), timeout: 280_000 });
    // The same question about the dev tree finds it (through @solana/spl-token, a test reference): the check can fail.
    const [prod, dev] = await Promise.all([why(["--prod"]), why([])]);
    expect(prod.stdout.trim()).toBe("");
    expect(dev.stdout).toContain("bigint-buffer");
  }, 300_000);

  it("are each listed with a reason in docs/dependencies.md", () => {
    const doc = readFileSync(join(REPO_ROOT, "docs/dependencies.md"), "utf8");
    const missing: string[] = [];
    for (const pkg of getWorkspacePackages()) {
      for (const dep of Object.keys(pkg.dependencies)) {
        if (dep.startsWith("@courier/")) continue;
        if (!doc.includes(`\`${dep}\``)) missing.push(`${pkg.name} → ${dep}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
