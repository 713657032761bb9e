import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COURIER_NODE_FLAGS } from "./node-flags.js";

const root = new URL("../../../../", import.meta.url);

describe("the node flags of courier start", () => {
  it("pnpm start, pnpm courier and the courier executable's shebang pass exactly COURIER_NODE_FLAGS", () => {
    const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toContain(`exec node ${COURIER_NODE_FLAGS.join(" ")} apps/courier/dist/cli.js start`);
    // The development entry (docs/postgres.md runs `pnpm courier start`) behaves the same.
    expect(pkg.scripts.courier).toBe(`node ${COURIER_NODE_FLAGS.join(" ")} --conditions=@courier/source --import tsx apps/courier/src/cli.ts`);
    const shebang = readFileSync(new URL("apps/courier/src/cli.ts", root), "utf8").split("\n")[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${COURIER_NODE_FLAGS.join(" ")}`);
  });

  it("this node accepts every flag (a removed V8 flag would stop Courier from starting)", () => {
    const r = spawnSync(process.execPath, [...COURIER_NODE_FLAGS, "-e", "process.stdout.write('ok')"], { encoding: "utf8", timeout: 20_000 });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("ok");
  });
});
