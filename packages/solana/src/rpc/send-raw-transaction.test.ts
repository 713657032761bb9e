/**
 * sendRawTransaction's outcome classes against the real localnet: a dropped answer is
 * SEND_AMBIGUOUS while the transaction did land; a refused connection is not ambiguous.
 */
import { startLocalnet } from "@courier/localnet";
import { Keypair, LAMPORTS_PER_SOL, SystemProgram, TransactionMessage, VersionedTransaction } from "@solana/web3.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRpcPool, getSignatureFromWire } from "./create-rpc-pool.js";
import type { RpcPool } from "./types.js";
import { getCourierRejection, getFreePort } from "@courier/testing";

type Localnet = Awaited<ReturnType<typeof startLocalnet>>;
let net: Localnet;
let pool: RpcPool;
let payer: Keypair;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  net = await startLocalnet({ port: 0, slotMs: 20, extraPorts: [0], seed: 3 });
  pool = createRpcPool({ urls: [net.url], healthIntervalMs: 0, sendTimeoutMs: 500 });
  payer = Keypair.generate();
  await net.airdrop(payer.publicKey.toBase58(), LAMPORTS_PER_SOL);
});
afterAll(async () => {
  await pool?.close();
  await net?.stop();
});

async function transfer(to = Keypair.generate().publicKey): Promise<Uint8Array> {
  const { blockhash } = await pool.getLatestBlockhash();
  const message = new TransactionMessage({
    payerKey: payer.publicKey,
    recentBlockhash: blockhash,
    instructions: [SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: to, lamports: 1_000_000 })],
  }).compileToV0Message();
  const tx = new VersionedTransaction(message);
  tx.sign([payer]);
  return tx.serialize();
}


describe("sendRawTransaction", () => {
  it("sends with skipPreflight and maxRetries 0 and returns the signature", async () => {
    const wire = await transfer();
    const sig = await pool.sendRawTransaction(wire);
    expect(sig).toBe(getSignatureFromWire(wire));
    for (let i = 0; i < 200 && !(await net.hasTransaction(sig)); i += 1) await sleep(10);
    expect(await net.hasTransaction(sig)).toBe(true);
  });

  it("a dropped answer → SEND_AMBIGUOUS (outcome ambiguous), and the transaction did land", async () => {
    const to = Keypair.generate().publicKey;
    const wire = await transfer(to);
    const sig = getSignatureFromWire(wire);
    await net.setFaults({ drop_response_rate: 1 }, 0);
    const e = await getCourierRejection(pool.sendRawTransaction(wire));
    await net.setFaults({}, 0);
    expect(e.code).toBe("COURIER__RPC__SEND_AMBIGUOUS");
    expect(e.outcome).toBe("ambiguous");
    expect(e.context.signature).toBe(sig);
    for (let i = 0; i < 200 && !(await net.hasTransaction(sig)); i += 1) await sleep(10);
    expect(await net.hasTransaction(sig)).toBe(true);
    expect(net.getBalance(to.toBase58())).toBe(1_000_000n);
  });

  it("stays ambiguous after failing over: one endpoint dropped the answer, the other is down", async () => {
    const p = createRpcPool({ urls: [net.urls[0] as string, net.urls[1] as string], healthIntervalMs: 0, sendTimeoutMs: 500 });
    try {
      const wire = await transfer();
      await net.setFaults({ drop_response_rate: 1 }, 0);
      await net.setFaults({ outage: true }, 1);
      const e = await getCourierRejection(p.sendRawTransaction(wire));
      expect(e.code).toBe("COURIER__RPC__SEND_AMBIGUOUS");
    } finally {
      await net.setFaults({}, 0);
      await net.setFaults({}, 1);
      await p.close();
    }
  });

  it("a refused connection is not ambiguous: nothing reached a node", async () => {
    const p = createRpcPool({ urls: [`http://127.0.0.1:${await getFreePort()}`], healthIntervalMs: 0, sendTimeoutMs: 500 });
    try {
      const e = await getCourierRejection(p.sendRawTransaction(await transfer()));
      expect(e.code).toBe("COURIER__RPC__ALL_ENDPOINTS_FAILING");
      expect(e.context.last_code).toBe("COURIER__RPC__UNREACHABLE");
      expect(e.outcome).toBe("infra");
    } finally {
      await p.close();
    }
  });

  it("broadcast sends the same bytes to every endpoint and resolves with the signature", async () => {
    const p = createRpcPool({ urls: [net.urls[0] as string, net.urls[1] as string], healthIntervalMs: 0 });
    try {
      const wire = await transfer();
      const sig = await p.sendRawTransaction(wire, { broadcast: true });
      expect(sig).toBe(getSignatureFromWire(wire));
      expect(p.requestCounts().sendTransaction).toBe(2);
    } finally {
      await p.close();
    }
  });
});
