/** `courier nonce create` through the real CLI against a real localnet. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalnet } from "@courier/localnet";
import { createRpcPool, generateKeypairFile, getNonce } from "@courier/solana";
import { PublicKey } from "@solana/web3.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, TEST_TIMEOUTS } from "@courier/testing";

describe("courier nonce create", { timeout: TEST_TIMEOUTS.childProcesses }, () => {
  let dir: string;
  let localnet: Awaited<ReturnType<typeof startLocalnet>>;
  let env: Record<string, string>;
  let signer: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "courier-nonce-"));
    localnet = await startLocalnet({ port: 0, slotMs: 50, websocket: false });
    const keypair = join(dir, "id.json");
    signer = (await generateKeypairFile(keypair)).publicKey.toBase58();
    await localnet.airdrop(signer, 10_000_000_000);
    env = { COURIER_DB: join(dir, "courier.db"), COURIER_RPC_URLS: localnet.url, COURIER_KEYPAIR: keypair };
  });
  afterAll(async () => {
    await localnet?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("creates a nonce account controlled by the signer and prints its address", async () => {
    const result = await runCli(["nonce", "create", "--lamports", "3000000", "--json"], env, { timeoutMs: 90_000 });
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as { address: string; authority: string; lamports: number };
    expect(out).toMatchObject({ authority: signer, lamports: 3_000_000 });
    const pool = createRpcPool({ urls: [localnet.url], healthIntervalMs: 0 });
    try {
      const nonce = await getNonce(pool, new PublicKey(out.address));
      expect(nonce.authority.toBase58()).toBe(signer);
      expect(await pool.getBalance(out.address)).toBe(3_000_000);
    } finally {
      await pool.close();
    }
  });

  it("refuses lamports below a nonce account's rent-exempt minimum with exit 2 and one line", async () => {
    const result = await runCli(["nonce", "create", "--lamports", "5"], env, { timeoutMs: 90_000 });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/--lamports must be at least \d+/);
  });
});
