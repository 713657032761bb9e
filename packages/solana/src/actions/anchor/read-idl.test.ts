import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readIdlFile } from "./read-idl.js";

describe("readIdlFile", () => {
  let dir: string;
  let idlDir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "courier-idl-"));
    idlDir = join(dir, "idl");
    await mkdir(join(idlDir, "nested"), { recursive: true });
    await writeFile(join(idlDir, "nested", "ok.json"), JSON.stringify({ instructions: [] }));
    await writeFile(join(idlDir, "broken.json"), "root:x:0:0:root:/root:/bin/bash");
    await writeFile(join(dir, "outside.json"), JSON.stringify({ secret: "s3cr3t" }));
    await symlink(join(dir, "outside.json"), join(idlDir, "link.json"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a relative path under the directory (and an absolute one inside it)", async () => {
    expect(await readIdlFile("nested/ok.json", idlDir)).toEqual({ instructions: [] });
    expect(await readIdlFile(join(idlDir, "nested", "ok.json"), idlDir)).toEqual({ instructions: [] });
  });

  it("refuses traversal, absolute paths outside, symlinks out, and never echoes contents", async () => {
    for (const path of ["/etc/passwd", "../outside.json", "nested/../../outside.json", join(dir, "outside.json"), "link.json", "broken.json", "nope.json", "nested"]) {
      const e = (await readIdlFile(path, idlDir).catch((x: unknown) => x)) as { code: string; message: string };
      expect(e.code).toBe("COURIER__ACTION__INVALID_PARAMS");
      expect(JSON.stringify(e)).not.toMatch(/s3cr3t|root:x/);
    }
  });
});
