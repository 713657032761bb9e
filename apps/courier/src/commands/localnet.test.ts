import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { REPO_ROOT, getCleanEnv, getCliArgv, TEST_TIMEOUTS } from "@courier/testing";

const children: Array<ReturnType<typeof spawn>> = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: "1", method, params }),
    signal: AbortSignal.timeout(5_000),
  });
  return ((await response.json()) as { result: unknown }).result;
}

/** `courier localnet ARGS` as a child; resolves with its URL once ready. */
async function startLocalnetCli(args: string[]): Promise<{ child: ReturnType<typeof spawn>; url: string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, getCliArgv(["localnet", "--port", "0", "--slot-ms", "20", ...args]), {
      cwd: REPO_ROOT,
      env: getCleanEnv({}),
      stdio: ["ignore", "ignore", "pipe"],
    });
    children.push(child);
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    let stderr = "";
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready: ${stderr}`)), 60_000);
      child.stderr?.setEncoding("utf8").on("data", (s: string) => {
        stderr += s;
        const match = /localnet ready: (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
        if (match) {
          clearTimeout(timer);
          resolve(match[1] as string);
        }
      });
      void exited.then((code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
  return { child, url, exited };
}

describe("courier localnet", { timeout: TEST_TIMEOUTS.childProcesses }, () => {
  it("serves JSON-RPC until SIGTERM, then exits 0", async () => {
    const { child, url, exited } = await startLocalnetCli([]);
    expect(typeof (await rpc(url, "getGenesisHash"))).toBe("string");
    // Blocks come on the clock (--slot-ms 20).
    const processed = [{ commitment: "processed" }];
    const first = (await rpc(url, "getSlot", processed)) as number;
    await new Promise((r) => setTimeout(r, 200));
    expect((await rpc(url, "getSlot", processed)) as number).toBeGreaterThan(first);

    child.kill("SIGTERM");
    const timeout = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 20_000));
    expect(await Promise.race([exited, timeout])).toBe(0);
  });

  it("--auth and --api-key make JSON-RPC require credentials, like a hosted provider", async () => {
    const { url } = await startLocalnetCli(["--auth", "ops:Pa55word9", "--api-key", "KEY123"]);
    const call = (path: string, headers: Record<string, string>) =>
      fetch(`${url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getGenesisHash" }),
        signal: AbortSignal.timeout(5_000),
      });
    const basic = { authorization: `Basic ${Buffer.from("ops:Pa55word9").toString("base64")}` };
    expect((await call("/KEY123", basic)).status).toBe(200);
    expect((await call("/?api-key=KEY123", basic)).status).toBe(200);
    expect((await call("/KEY123", {})).status).toBe(401);
    expect((await call("/", basic)).status).toBe(401);
    expect((await call("/OTHER", basic)).status).toBe(401);
  });

  it("refuses a bad --slot-ms with exit 2", async () => {
    const { runCli } = await import("@courier/testing");
    const result = await runCli(["localnet", "--slot-ms", "fast"], {});
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/--slot-ms/);
  });
});
