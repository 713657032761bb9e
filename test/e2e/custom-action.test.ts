/**
 * Issue 13 item 10: the custom action of docs/actions.md (extracted from the page, so the docs
 * cannot drift) loaded through COURIER_ACTIONS by the real CLI and a real `courier start`:
 * `schedule` validates its params (exit 2 on bad ones), and the op runs end to end on the
 * embedded localnet. Also through the running process: anchor.invoke with `idl: "/etc/passwd"`
 * is a 4xx that does not echo the file.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getRandomAddress } from "@courier/testing";
import { REPO_ROOT, runCli } from "@courier/testing";
import { getFreePort, getJson, killAllCourierProcesses, postJson, startCourierProcess, stopCourierProcess, waitFor } from "./courier-process.js";

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "courier-actions-"));
});
afterEach(() => {
  killAllCourierProcesses();
  rmSync(dir, { recursive: true, force: true });
});

/** The first ```js block of docs/actions.md. */
function getDocumentedModule(): string {
  const page = readFileSync(join(REPO_ROOT, "docs/actions.md"), "utf8");
  const block = /```js\n([\s\S]*?)```/.exec(page)?.[1];
  if (!block) throw new Error("docs/actions.md has no ```js block");
  return block;
}

async function getBalance(rpcUrl: string, address: string): Promise<number> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: "1", method: "getBalance", params: [address, { commitment: "confirmed" }] }),
  });
  return ((await response.json()) as { result: { value: number } }).result.value;
}

describe("a custom action module (docs/actions.md)", () => {
  it("is validated by `courier schedule` and runs end to end under `courier start`", { timeout: 240_000 }, async () => {
    mkdirSync(join(dir, "actions"));
    writeFileSync(join(dir, "actions", "tip.mjs"), getDocumentedModule());
    const env = {
      COURIER_DB: join(dir, "courier.db"),
      COURIER_ACTIONS: "./actions/tip.mjs",
      COURIER_LOCALNET_PORT: "0",
      COURIER_LOCALNET_SLOT_MS: "50",
      COURIER_DEMO: "false",
    };
    const to = getRandomAddress();

    // The CLI refuses bad params of the custom action with exit 2, one line, naming the field.
    const bad = await runCli(["schedule", "--action", "tip.send", "--params", JSON.stringify({ to, lamports: 5, note: "x" })], env, { cwd: dir });
    expect(bad.code, bad.stderr).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toMatch(/params\.lamports/);
    const unknownKey = await runCli(["schedule", "--action", "tip.send", "--params", JSON.stringify({ to, lamports: 5_000_000, note: "x", extra: 1 })], env, { cwd: dir });
    expect(unknownKey.code).toBe(2);

    const scheduled = await runCli(["schedule", "--action", "tip.send", "--params", JSON.stringify({ to, lamports: 5_000_000, note: "thanks!" }), "--json"], env, { cwd: dir });
    expect(scheduled.code, scheduled.stderr).toBe(0);
    const op = JSON.parse(scheduled.stdout) as { id: string };

    const courier = await startCourierProcess({ args: [], cwd: dir, env: { ...env, COURIER_ADMIN_PORT: String(await getFreePort()) } });
    const adminUrl = courier.adminUrl as string;
    const localnetUrl = courier.localnetUrl as string;
    const done = await waitFor(
      "the tip to succeed",
      async () => {
        const detail = await getJson<{ status: string }>(`${adminUrl}/admin/api/courier/ops/${op.id}`);
        return ["succeeded", "failed", "dead"].includes(detail.status) ? detail : undefined;
      },
      90_000,
    );
    expect(done.status).toBe("succeeded");
    expect(await getBalance(localnetUrl, to)).toBe(5_000_000);

    // The same registry serves the admin API: bad params of the custom action are a 400 there too.
    const refused = await postJson<{ error: { code: string } }>(`${adminUrl}/admin/api/courier/ops`, { action: "tip.send", params: { to, lamports: 1, note: "x" } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("COURIER__ACTION__INVALID_PARAMS");

    // anchor.invoke reads IDL paths only under COURIER_IDL_DIR and never echoes a file.
    const passwd = readFileSync("/etc/passwd", "utf8").split("\n")[0] ?? "root:";
    const idl = await postJson<Record<string, unknown>>(`${adminUrl}/admin/api/courier/ops`, {
      action: "anchor.invoke",
      params: { program_id: "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA", idl: "/etc/passwd", method: "transfer_checked" },
    });
    expect(idl.status).toBeGreaterThanOrEqual(400);
    expect(idl.status).toBeLessThan(500);
    expect(JSON.stringify(idl.body)).not.toContain(passwd.slice(0, 8));

    expect(await stopCourierProcess(courier)).toBe(0);
  });

  it("a module that does not load stops `courier schedule` with a one-line config error", async () => {
    writeFileSync(join(dir, "broken.mjs"), "export default {name: 'x'};\n");
    const result = await runCli(["schedule", "--action", "memo", "--params", '{"text":"x"}'], { COURIER_DB: join(dir, "c.db"), COURIER_ACTIONS: "./broken.mjs" }, { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/COURIER_ACTIONS \.\/broken\.mjs/);
  });
});
