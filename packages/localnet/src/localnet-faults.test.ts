/** Acceptance: fault injection observed by web3.js clients, and extra endpoints on one bank. */
import bs58 from "bs58";
import { Connection, Keypair, LAMPORTS_PER_SOL, SystemProgram, Transaction } from "@solana/web3.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createFaultState } from "./faults.js";
import { startLocalnet, type Localnet } from "./index.js";

let ln: Localnet;
let payer: Keypair;

/** web3.js client that reports HTTP statuses and headers it saw, with 429 retries off. */
function client(url: string, timeoutMs = 5000): { conn: Connection; seen: Array<{ status: number; retryAfter: string | null }> } {
  const seen: Array<{ status: number; retryAfter: string | null }> = [];
  const conn = new Connection(url, {
    commitment: "confirmed",
    disableRetryOnRateLimit: true,
    fetch: async (input, init) => {
      const res = await fetch(input as string, { ...(init as RequestInit), signal: AbortSignal.timeout(timeoutMs) });
      seen.push({ status: res.status, retryAfter: res.headers.get("retry-after") });
      return res;
    },
  });
  return { conn, seen };
}

async function signedTransfer(conn: Connection, to: Keypair, lamports: number): Promise<Buffer> {
  const { blockhash } = await conn.getLatestBlockhash();
  const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash }).add(SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: to.publicKey, lamports }));
  tx.sign(payer);
  return tx.serialize();
}

beforeAll(async () => {
  ln = await startLocalnet({ port: 0, extraPorts: [0], slotMs: 20, seed: 42 });
  payer = Keypair.generate();
  ln.airdrop(payer.publicKey.toBase58(), 50n * BigInt(LAMPORTS_PER_SOL));
});

afterAll(async () => {
  await ln.stop();
});

beforeEach(() => {
  ln.setFaults({}, 0);
  ln.setFaults({}, 1);
  ln.resetRequestCounts();
});

describe("fault injection", () => {
  it("429 carries Retry-After and web3.js surfaces it", async () => {
    ln.setFaults({ rate_429: 1, retry_after_s: 7 });
    const { conn, seen } = client(ln.url);
    await expect(conn.getBalance(payer.publicKey)).rejects.toThrow(/429/);
    expect(seen).toEqual([{ status: 429, retryAfter: "7" }]);
    expect(ln.requestCounts()).toEqual({ getBalance: 1 });
  });

  it("5xx and outage fail requests and are counted", async () => {
    const { conn, seen } = client(ln.url);
    ln.setFaults({ rate_5xx: 1 });
    await expect(conn.getSlot()).rejects.toThrow(/502/);
    ln.setFaults({ outage: true });
    await expect(conn.getLatestBlockhash()).rejects.toThrow(/503/);
    expect(seen.map((s) => s.status)).toEqual([502, 503]);
    expect(ln.requestCounts()).toEqual({ getSlot: 1, getLatestBlockhash: 1 });
    ln.setFaults({});
    expect(await conn.getSlot()).toBeGreaterThanOrEqual(0);
  });

  it("latency delays answers past a client's timeout", async () => {
    const { conn } = client(ln.url, 1000);
    ln.setFaults({ latency_ms: 10_000 });
    await expect(conn.getSlot()).rejects.toThrow(/timeout|abort/i);
    ln.setFaults({});
    expect(await conn.getSlot()).toBeGreaterThanOrEqual(0);
  });

  it("a dropped response still executes the transaction", async () => {
    const { conn } = client(ln.url);
    const to = Keypair.generate();
    const raw = await signedTransfer(conn, to, LAMPORTS_PER_SOL);
    ln.setFaults({ drop_response_rate: 1 });
    await expect(conn.sendRawTransaction(raw)).rejects.toThrow();
    expect(ln.getBalance(to.publicKey.toBase58())).toBe(BigInt(LAMPORTS_PER_SOL));
    // The other endpoint answers and knows the signature.
    const other = client(ln.urls[1]!).conn;
    const sig = Transaction.from(raw).signature!;
    const status = (await other.getSignatureStatuses([require58(sig)])).value[0];
    expect(status?.err).toBeNull();
    expect(ln.hasTransaction(require58(sig))).toBe(true);
  });

  it("fault rolls are deterministic for a seed", () => {
    const a = createFaultState(9);
    const b = createFaultState(9);
    a.set({ rate_429: 0.3, rate_5xx: 0.3, drop_response_rate: 0.3 });
    b.set({ rate_429: 0.3, rate_5xx: 0.3, drop_response_rate: 0.3 });
    const seqA = Array.from({ length: 50 }, () => a.decide());
    expect(Array.from({ length: 50 }, () => b.decide())).toEqual(seqA);
    expect(new Set(seqA).size).toBe(4);
  });
});

describe("extra endpoints", () => {
  it("share balances but not faults", async () => {
    const [primary, extra] = [client(ln.urls[0]!).conn, client(ln.urls[1]!).conn];
    const kp = Keypair.generate();
    await extra.requestAirdrop(kp.publicKey, LAMPORTS_PER_SOL);
    expect(await primary.getBalance(kp.publicKey, "processed")).toBe(LAMPORTS_PER_SOL);
    ln.setFaults({ outage: true }, 1);
    await expect(extra.getSlot()).rejects.toThrow(/503/);
    expect(await primary.getSlot()).toBeGreaterThanOrEqual(0);
    expect(ln.getFaults(0)).toEqual({});
    expect(ln.getFaults(1)).toEqual({ outage: true });
    expect(ln.requestCounts(1)).toEqual({ requestAirdrop: 1, getSlot: 1 });
  });
});

describe("control endpoint", () => {
  it("reads, replaces and clears faults over HTTP; rejects invalid bodies with 400 JSON", async () => {
    const url = `${ln.url}/__localnet/faults`;
    const post = (body: string) => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(await (await post('{"latency_ms":5,"rate_429":0.5}')).json()).toEqual({ latency_ms: 5, rate_429: 0.5 });
    expect(await (await fetch(url)).json()).toEqual({ latency_ms: 5, rate_429: 0.5 });
    expect(ln.getFaults()).toEqual({ latency_ms: 5, rate_429: 0.5 });
    for (const bad of ['{"rate_429":2}', '{"nope":1}', "not json", '{"outage":"yes"}']) {
      const res = await post(bad);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("COURIER__VALIDATION");
    }
    expect(await (await post("{}")).json()).toEqual({});
    const stats = (await (await fetch(`${ln.url}/__localnet/stats`)).json()) as Record<string, unknown>;
    expect(stats).toMatchObject({ slot: expect.any(Number), block_height: expect.any(Number), transactions: expect.any(Number), request_counts: {} });
  });
});

function require58(sig: Buffer): string {
  return bs58.encode(sig);
}
