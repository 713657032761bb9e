/** Acceptance: --state persistence across restarts, and the standalone command. */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Connection, Keypair, LAMPORTS_PER_SOL, SystemProgram, Transaction } from "@solana/web3.js";
import { afterEach, describe, expect, it } from "vitest";
import { startLocalnet } from "./index.js";
import { STATE_MAGIC } from "./state-file.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("state file", () => {
  it("keeps balances, the block clock and recent statuses across a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "localnet-state-"));
    dirs.push(dir);
    const statePath = join(dir, "state.bin");
    const payer = Keypair.generate();
    const to = Keypair.generate();

    const first = await startLocalnet({ port: 0, slotMs: 20, statePath, websocket: false });
    first.airdrop(payer.publicKey.toBase58(), 5n * BigInt(LAMPORTS_PER_SOL));
    const conn1 = new Connection(first.url, "processed");
    const bh = await conn1.getLatestBlockhash("processed");
    const tx = new Transaction({ feePayer: payer.publicKey, ...bh }).add(SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: to.publicKey, lamports: LAMPORTS_PER_SOL }));
    tx.sign(payer);
    const sig = await conn1.sendRawTransaction(tx.serialize());
    const landedAt = first.landedAt(sig);
    const heightBefore = first.blockHeight();
    await first.stop();

    const second = await startLocalnet({ port: 0, slotMs: 20, statePath, websocket: false });
    try {
      expect(second.getBalance(to.publicKey.toBase58())).toBe(BigInt(LAMPORTS_PER_SOL));
      expect(second.blockHeight()).toBeGreaterThanOrEqual(heightBefore);
      expect(second.hasTransaction(sig)).toBe(true);
      expect(landedAt).toBeDefined();
      expect(second.landedAt(sig)).toBe(landedAt);
      const conn2 = new Connection(second.url, "processed");
      const status = (await conn2.getSignatureStatuses([sig], { searchTransactionHistory: true })).value[0];
      expect(status?.err).toBeNull();
      // The restored window still knows the pre-restart blockhash, so a replay is a duplicate.
      await expect(conn2.sendRawTransaction(tx.serialize())).rejects.toThrow(/already been processed/);
    } finally {
      await second.stop();
    }

    // A state file written before landedAtMs existed: its transactions count as landed at their
    // block time.
    const buf = readFileSync(statePath);
    const start = STATE_MAGIC.length + 4;
    const headerLen = buf.readUInt32LE(STATE_MAGIC.length);
    const header = JSON.parse(buf.subarray(start, start + headerLen).toString("utf8")) as { ledger: Array<{ signature: string; blockTime: number; landedAtMs?: number }> };
    const entry = header.ledger.find((t) => t.signature === sig) ?? expect.unreachable("the transaction is in the state file");
    expect(entry.landedAtMs).toBe(landedAt);
    for (const t of header.ledger) delete t.landedAtMs;
    const oldHeader = Buffer.from(JSON.stringify(header), "utf8");
    const len = Buffer.alloc(4);
    len.writeUInt32LE(oldHeader.length);
    writeFileSync(statePath, Buffer.concat([buf.subarray(0, STATE_MAGIC.length), len, oldHeader, buf.subarray(start + headerLen)]));
    const third = await startLocalnet({ port: 0, slotMs: 20, statePath, websocket: false });
    try {
      expect(third.getBalance(to.publicKey.toBase58())).toBe(BigInt(LAMPORTS_PER_SOL));
      expect(third.landedAt(sig)).toBe(entry.blockTime * 1000);
    } finally {
      await third.stop();
    }
  });
});

describe("runLocalnetCommand", () => {
  it("logs its URL, serves, and exits 0 on SIGTERM", async () => {
    const cli = fileURLToPath(new URL("./cli.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", "-e", `import(${JSON.stringify(cli)}).then((m) => m.runLocalnetCommand({ port: 0, slotMs: 50 }))`], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    try {
      let stderr = "";
      let stdout = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on("data", (d: Buffer) => {
          stderr += d.toString();
          const m = /localnet listening on (http:\/\/\S+)/.exec(stderr);
          if (m) resolve(m[1]!);
        });
        child.once("exit", (code) => reject(new Error(`exited early with ${code}: ${stderr}`)));
      });
      const health = (await (await fetch(url, { method: "POST", body: '{"jsonrpc":"2.0","id":1,"method":"getHealth"}' })).json()) as { result: string };
      expect(health.result).toBe("ok");
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      const first = JSON.parse(stdout.split("\n")[0]!) as Record<string, unknown>;
      expect(first).toMatchObject({ level: 30, url, msg: "localnet.listening" });
    } finally {
      clearTimeout(killer);
      child.kill("SIGKILL");
    }
  });
});
