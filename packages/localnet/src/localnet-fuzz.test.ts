/**
 * Acceptance: ≥2,000 malformed requests. The server stays up and every answer is a well-formed
 * JSON-RPC error (batches: every element). Truncated and bit-flipped transactions reach the
 * wire parser, so a native LiteSVM abort would kill this test's worker.
 */
import { Keypair, SystemProgram, Transaction } from "@solana/web3.js";
import bs58 from "bs58";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_TIMEOUTS } from "@courier/testing";
import { startLocalnet, type Localnet } from "./index.js";

let ln: Localnet;
let validTx: Buffer;
let payer: Keypair;

async function signTransfer(): Promise<Buffer> {
  const blockhash = (await (await fetch(ln.url, { method: "POST", body: request("getLatestBlockhash", [{ commitment: "processed" }]) })).json()) as { result: { value: { blockhash: string } } };
  const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash.result.value.blockhash }).add(SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: Keypair.generate().publicKey, lamports: 5_000_000 }));
  tx.sign(payer);
  return tx.serialize();
}

const pubkeyMethods = ["getBalance", "getAccountInfo", "getTokenAccountBalance", "requestAirdrop", "isBlockhashValid"];
const configMethods = ["getSlot", "getBlockHeight", "getEpochInfo", "getLatestBlockhash", "getTransactionCount"];
const noParamMethods = ["getHealth", "getVersion", "getGenesisHash", "getIdentity"];

const notAKey = fc.oneof(fc.integer(), fc.boolean(), fc.string({ maxLength: 30 }), fc.constant("0OIl"), fc.array(fc.integer(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));
const notAConfig = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.array(fc.anything(), { maxLength: 3 }), fc.string().map((c) => ({ commitment: `x${c}` })));

function request(method: string, params: unknown, id: unknown = 1): string {
  return JSON.stringify({ jsonrpc: "2.0", id, method, params });
}

function malformedBodies(): fc.Arbitrary<string> {
  const txBytes = fc.constant(null).map(() => validTx);
  const truncated = fc.tuple(txBytes, fc.nat()).map(([b, n]) => b.subarray(0, n % b.length));
  const flipped = fc.tuple(txBytes, fc.nat(), fc.integer({ min: 1, max: 255 })).map(([b, i, x]) => {
    const c = Buffer.from(b);
    c[i % c.length]! ^= x;
    return c;
  });
  const badTxString = fc.oneof(
    truncated.map((b) => [b.toString("base64"), { encoding: "base64" }]),
    truncated.map((b) => [bs58.encode(b)]),
    flipped.map((b) => [b.toString("base64"), { encoding: "base64" }]),
    flipped.map((b) => [bs58.encode(b), { encoding: "base58" }]),
    fc.string().map((s) => [`${s}!@#`, { encoding: "base64" }]),
    fc.string().map((s) => [`0OIl${s}`]),
    fc.uint8Array({ maxLength: 300 }).map((b) => [Buffer.from(b).toString("base64"), { encoding: "base64" }]),
    fc.constant(["AAAA", { encoding: "base99" }]),
    fc.constant([validTx.toString("base64"), { encoding: "base64", skipPreflight: "yes" }]),
  );
  return fc.oneof(
    // Not JSON, or JSON that is not a request.
    fc.string().map((s) => `{${s}`),
    fc.constantFrom("", "[]", "null", "1", '"x"', "[1,2]", "{}", '{"jsonrpc":"1.0","id":1,"method":"getSlot"}', '{"jsonrpc":"2.0","id":{},"method":"getSlot"}'),
    fc.jsonValue().filter((v) => typeof v !== "object" || v === null || Array.isArray(v)).map((v) => JSON.stringify(v)),
    // Unknown methods.
    fc.tuple(fc.string({ maxLength: 20 }), fc.anything()).map(([m, p]) => request(`zz_${m}`, [p], m)),
    fc.constantFrom("constructor", "__proto__", "toString", "hasOwnProperty").map((m) => request(m, [])),
    // Wrong parameter types.
    fc.tuple(fc.constantFrom(...pubkeyMethods), notAKey).map(([m, p]) => request(m, [p])),
    fc.tuple(fc.constantFrom(...configMethods), notAConfig).map(([m, p]) => request(m, [p])),
    fc.tuple(fc.constantFrom(...noParamMethods), fc.anything()).map(([m, p]) => request(m, [p])),
    fc.tuple(fc.constantFrom("getSignatureStatuses", "getMultipleAccounts"), fc.oneof(notAKey.filter((v) => !Array.isArray(v)), fc.array(notAKey, { minLength: 1, maxLength: 4 }))).map(([m, p]) => request(m, [p])),
    fc.oneof(fc.string(), fc.integer({ max: -1 }), fc.double({ noInteger: true }), fc.boolean()).map((p) => request("getMinimumBalanceForRentExemption", [p])),
    notAKey.map((p) => request("getTransaction", [p])),
    fc.oneof(fc.integer(), fc.boolean(), fc.object({ maxDepth: 1 })).map((p) => request("sendTransaction", [p])),
    fc.anything().filter((p) => p !== null && p !== undefined && !Array.isArray(p)).map((p) => JSON.stringify({ jsonrpc: "2.0", id: 3, method: "getSlot", params: p === null ? 1 : { p } })),
    // Bad transactions.
    badTxString.map((p) => request("sendTransaction", p)),
    // Batches of malformed entries.
    fc.array(fc.oneof(fc.constant(1), fc.constant({}), notAKey.map((p) => ({ jsonrpc: "2.0", id: "b", method: "getBalance", params: [p] }))), { minLength: 1, maxLength: 5 }).map((b) => JSON.stringify(b)),
    // Huge bodies.
    fc.integer({ min: 52_000, max: 200_000 }).map((n) => request("getBalance", ["x".repeat(n)])),
  );
}

function assertError(e: unknown): void {
  expect(e).toMatchObject({ jsonrpc: "2.0", error: { code: expect.any(Number), message: expect.any(String) } });
  const o = e as Record<string, unknown>;
  expect(Number.isInteger((o.error as { code: number }).code)).toBe(true);
  expect("result" in o).toBe(false);
  expect(o.id === null || typeof o.id === "string" || typeof o.id === "number").toBe(true);
}

beforeAll(async () => {
  ln = await startLocalnet({ port: 0, slotMs: 20, seed: 3, websocket: false });
  payer = Keypair.generate();
  ln.airdrop(payer.publicKey.toBase58(), 10_000_000_000n);
  validTx = await signTransfer();
});

afterAll(async () => {
  await ln.stop();
});

describe("malformed input", () => {
  it("answers 2,000+ malformed requests with JSON-RPC errors and stays up", { timeout: TEST_TIMEOUTS.fuzz }, async () => {
    // Sampled up front and sent 16 at a time: sequential round trips would dominate the run time.
    const bodies = fc.sample(malformedBodies(), { numRuns: 2100, seed: 20261123 });
    const statuses = new Set<number>();
    let next = 0;
    async function worker(): Promise<void> {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const res = await fetch(ln.url, { method: "POST", headers: { "content-type": "application/json" }, body });
        statuses.add(res.status);
        const text = await res.text();
        try {
          expect([200, 413]).toContain(res.status);
          const parsed = JSON.parse(text) as unknown;
          if (Array.isArray(parsed)) {
            expect(parsed.length).toBeGreaterThan(0);
            parsed.forEach(assertError);
          } else {
            assertError(parsed);
          }
        } catch (e) {
          throw new Error(`request ${JSON.stringify(body.slice(0, 300))} got ${res.status} ${text.slice(0, 300)}: ${String(e)}`);
        }
      }
    }
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(bodies.length).toBeGreaterThanOrEqual(2000);
    expect(statuses.has(413)).toBe(true);
    expect(ln.transactionCount()).toBe(0);
    const health = (await (await fetch(ln.url, { method: "POST", body: request("getHealth", []) })).json()) as { result: string };
    expect(health.result).toBe("ok");
    // A fresh, valid transaction still goes through: nothing in the fuzz corrupted the bank.
    const fresh = await signTransfer();
    const sent = (await (await fetch(ln.url, { method: "POST", body: request("sendTransaction", [fresh.toString("base64"), { encoding: "base64" }]) })).json()) as { result?: string };
    expect(sent.result).toBe(bs58.encode(fresh.subarray(1, 65)));
    expect(ln.transactionCount()).toBe(1);
  });

  it("answers GET and broken HTTP with errors too", async () => {
    const get = await fetch(ln.url);
    expect(get.status).toBe(405);
    assertError(await get.json());
    const health = await fetch(`${ln.url}/health`);
    expect(await health.text()).toBe("ok");
  });
});
