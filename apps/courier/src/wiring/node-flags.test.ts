import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COURIER_NODE_FLAGS, getProcessEnvWords } from "./node-flags.js";

const root = new URL("../../../../", import.meta.url);

describe("the node flags of courier start", () => {
  it("pnpm start, pnpm courier and the courier executable's shebang pass exactly COURIER_NODE_FLAGS and COURIER_PROCESS_ENV", () => {
    const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { scripts: Record<string, string> };
    const node = `env ${getProcessEnvWords().join(" ")} node ${COURIER_NODE_FLAGS.join(" ")}`;
    expect(pkg.scripts.start).toContain(`exec ${node} apps/courier/dist/cli.js start`);
    // The development entry (docs/postgres.md runs `pnpm courier start`) behaves the same.
    expect(pkg.scripts.courier).toBe(`${node} --conditions=@courier/source --import tsx apps/courier/src/cli.ts`);
    const shebang = readFileSync(new URL("apps/courier/src/cli.ts", root), "utf8").split("\n")[0];
    expect(shebang).toBe(`#!/usr/bin/env -S ${getProcessEnvWords().join(" ")} node ${COURIER_NODE_FLAGS.join(" ")}`);
  });

  it("the shebang's env line starts node with the flags and the environment", () => {
    const shebang = readFileSync(new URL("apps/courier/src/cli.ts", root), "utf8").split("\n")[0] ?? "";
    const words = shebang.replace("#!/usr/bin/env -S ", "").split(" ");
    const script = "process.stdout.write(JSON.stringify({ arena: process.env.MALLOC_ARENA_MAX, argv: process.execArgv }))";
    const r = spawnSync("/usr/bin/env", [...words.map((w) => (w === "node" ? process.execPath : w)), "-e", script], { encoding: "utf8", timeout: 20_000 });
    expect(r.stderr).toBe("");
    const seen = JSON.parse(r.stdout) as { arena: string; argv: string[] };
    expect(seen.arena).toBe("2");
    // execArgv also lists `-e` and its script after the flags.
    expect(seen.argv.slice(0, COURIER_NODE_FLAGS.length)).toEqual([...COURIER_NODE_FLAGS]);
  });

  it("this node accepts every flag (a removed V8 flag would stop Courier from starting)", () => {
    const r = spawnSync(process.execPath, [...COURIER_NODE_FLAGS, "-e", "process.stdout.write('ok')"], { encoding: "utf8", timeout: 20_000 });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("ok");
  });
});
