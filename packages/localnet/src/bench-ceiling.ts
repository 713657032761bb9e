/**
 * The localnet's ceiling: how many pre-signed SOL transfers per second it accepts over HTTP
 * JSON-RPC and how many it confirms. Signing uses Node's native ed25519 (FACTS: ~15× faster
 * than web3.js) and happens before the clock starts, so the figure is the server's alone.
 */
import { createPrivateKey, createPublicKey, randomBytes, sign, type KeyObject } from "node:crypto";
import { decodeBase58, encodeBase58 } from "./base58.js";
import pLimit from "p-limit";
import { createBank } from "./bank.js";
import { startLocalnet } from "./start-localnet.js";
import { parseWireTransaction } from "./wire-transaction.js";

export interface CeilingOptions {
  /** An existing localnet; when absent one is started in-process and stopped afterwards. */
  url?: string;
  count: number;
  /** sendTransaction requests per JSON-RPC batch (default 64: stays under the 50 KiB body limit). */
  batchSize?: number;
  /** HTTP requests in flight (default 4). */
  concurrency?: number;
  /** default true; false measures preflight simulation too */
  skipPreflight?: boolean;
  /** Slot time of the in-process localnet (default 400). */
  slotMs?: number;
  /** Give up waiting for confirmations after this long (default 120 s). */
  timeoutMs?: number;
}

export interface CeilingResult {
  count: number;
  accepted: number;
  rejected: number;
  confirmed: number;
  failed: number;
  /** Accepted but never confirmed before the blockhash expired or the timeout. */
  unconfirmed: number;
  signMs: number;
  sendMs: number;
  confirmMs: number;
  acceptedPerSec: number;
  confirmedPerSec: number;
  batchSize: number;
  concurrency: number;
  skipPreflight: boolean;
}

const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const RECIPIENTS = 16;

interface Signer {
  key: KeyObject;
  pubkey: Buffer;
}

function createSigner(): Signer {
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, randomBytes(32)]), format: "der", type: "pkcs8" });
  const pubkey = (createPublicKey(key).export({ format: "der", type: "spki" }) as Buffer).subarray(-32);
  return { key, pubkey };
}

/** A legacy SystemProgram.transfer, laid out by hand and signed natively. */
function signTransfer(payer: Signer, to: Uint8Array, lamports: number, blockhash: Uint8Array): string {
  const msg = Buffer.alloc(3 + 1 + 32 * 3 + 32 + 1 + 1 + 1 + 2 + 1 + 12);
  let o = 0;
  msg.set([1, 0, 1, 3], o);
  o += 4;
  msg.set(payer.pubkey, o);
  msg.set(to, o + 32);
  o += 96; // the system program id is 32 zero bytes
  msg.set(blockhash, o);
  o += 32;
  msg.set([1, 2, 2, 0, 1, 12], o);
  o += 6;
  msg.writeUInt32LE(2, o);
  msg.writeBigUInt64LE(BigInt(lamports), o + 4);
  const signature = sign(null, msg, payer.key);
  return Buffer.concat([Buffer.from([1]), signature, msg]).toString("base64");
}

async function rpc<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error || body.result === undefined) throw new Error(`${method}: ${body.error?.message ?? res.status}`);
  return body.result;
}

/** `work` over every item, `concurrency` at a time (the clients of the ceiling). */
async function runPool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  const limit = pLimit(concurrency);
  await Promise.all(items.map((item) => limit(() => work(item))));
}

export async function measureLocalnetCeiling(opts: CeilingOptions): Promise<CeilingResult> {
  const batchSize = opts.batchSize ?? 64;
  const concurrency = opts.concurrency ?? 4;
  const skipPreflight = opts.skipPreflight ?? true;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const own = opts.url === undefined ? await startLocalnet({ port: 0, slotMs: opts.slotMs ?? 400, websocket: false }) : null;
  const url = opts.url ?? own!.url;
  try {
    const payer = createSigner();
    const recipients = Array.from({ length: RECIPIENTS }, () => createSigner().pubkey);
    for (const key of [payer.pubkey, ...recipients]) {
      await rpc<string>(url, "requestAirdrop", [encodeBase58(key), key === payer.pubkey ? 1e15 : 1e9]);
    }
    const { value } = await rpc<{ value: { blockhash: string; lastValidBlockHeight: number } }>(url, "getLatestBlockhash", [{ commitment: "processed" }]);
    const blockhash = decodeBase58(value.blockhash)!;

    const signStart = performance.now();
    const txs: string[] = [];
    for (let i = 0; i < opts.count; i++) {
      txs.push(signTransfer(payer, recipients[i % RECIPIENTS]!, 1 + Math.floor(i / RECIPIENTS), blockhash));
      // Yield now and then: the in-process localnet keeps its slot clock and sockets alive.
      if (i % 1000 === 999) await new Promise((r) => setImmediate(r));
    }
    const signMs = performance.now() - signStart;
    const config = { encoding: "base64", skipPreflight };
    const batches: string[] = [];
    for (let i = 0; i < txs.length; i += batchSize) {
      const entries = txs.slice(i, i + batchSize).map((tx, j) => ({ jsonrpc: "2.0", id: i + j, method: "sendTransaction", params: [tx, config] }));
      // batchSize 1: one plain request per transaction, as a client without batching sends it.
      batches.push(JSON.stringify(batchSize === 1 ? entries[0] : entries));
    }

    const signatures: string[] = [];
    let rejected = 0;
    const sendStart = performance.now();
    await runPool(batches, concurrency, async (body) => {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
      const answer = (await res.json()) as Array<{ result?: string }> | { result?: string };
      for (const a of Array.isArray(answer) ? answer : [answer]) {
        if (typeof a.result === "string") signatures.push(a.result);
        else rejected += 1;
      }
    });
    const sendMs = performance.now() - sendStart;

    let pending = signatures;
    let confirmed = 0;
    let failed = 0;
    let lastConfirmedAt = sendStart;
    const deadline = performance.now() + timeoutMs;
    while (pending.length > 0 && performance.now() < deadline) {
      // Past the blockhash's last valid height nothing more can land.
      const expired = (await rpc<number>(url, "getBlockHeight", [{ commitment: "processed" }])) > value.lastValidBlockHeight;
      const chunks: string[][] = [];
      for (let i = 0; i < pending.length; i += 256) chunks.push(pending.slice(i, i + 256));
      const still: string[] = [];
      await runPool(chunks, concurrency, async (chunk) => {
        const { value: statuses } = await rpc<{ value: Array<{ confirmationStatus?: string; err: unknown } | null> }>(url, "getSignatureStatuses", [chunk]);
        statuses.forEach((s, i) => {
          if (s !== null && s.confirmationStatus !== "processed") {
            confirmed += 1;
            if (s.err !== null) failed += 1;
            lastConfirmedAt = performance.now();
          } else {
            still.push(chunk[i]!);
          }
        });
      });
      pending = still;
      if (expired) break;
      if (pending.length > 0) await new Promise((r) => setTimeout(r, 25));
    }
    const confirmMs = lastConfirmedAt - sendStart;
    return {
      count: opts.count,
      accepted: signatures.length,
      rejected,
      confirmed,
      failed,
      unconfirmed: pending.length,
      signMs: Math.round(signMs),
      sendMs: Math.round(sendMs),
      confirmMs: Math.round(confirmMs),
      acceptedPerSec: Math.round(signatures.length / (sendMs / 1000)),
      confirmedPerSec: Math.round(confirmed / (confirmMs / 1000)),
      batchSize,
      concurrency,
      skipPreflight,
    };
  } finally {
    await own?.stop();
  }
}

/**
 * The same pre-signed transfers through the bank directly (no HTTP, no JSON): the engine's own
 * rate under the same machine conditions, to size the HTTP layer's overhead.
 */
export async function measureEngineCeiling(count: number): Promise<{ count: number; landed: number; perSec: number }> {
  const bank = createBank({ confirmAfterSlots: 1, finalizeAfterSlots: 32 });
  const payer = createSigner();
  const recipients = Array.from({ length: RECIPIENTS }, () => createSigner().pubkey);
  bank.airdrop(payer.pubkey, 1_000_000_000_000_000n);
  for (const r of recipients) bank.airdrop(r, 1_000_000_000n);
  const blockhash = decodeBase58(bank.clock.latest("processed").blockhash)!;
  const wires = Array.from({ length: count }, (_, i) =>
    Buffer.from(signTransfer(payer, recipients[i % RECIPIENTS]!, 1 + Math.floor(i / RECIPIENTS), blockhash), "base64"),
  );
  const start = performance.now();
  for (const w of wires) bank.send(parseWireTransaction(w), { skipPreflight: true });
  const ms = performance.now() - start;
  return { count, landed: bank.ledger.sentCount, perSec: Math.round(count / (ms / 1000)) };
}
