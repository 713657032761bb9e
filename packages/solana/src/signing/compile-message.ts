/**
 * A v0 message without address lookup tables, compiled and serialized in one pass. It produces
 * the same bytes as web3.js's `TransactionMessage.compileToV0Message().serialize()` (a property
 * test holds it to that), at a fraction of the cost: web3.js builds a layout object per
 * instruction, converts every key through a big number and base58 more than once, and decodes
 * the blockhash each time. Here a key is identified by its base58 form (cached for the keys
 * every transaction carries, see cached-base58.ts), and the recent blockhash's bytes are reused
 * while it stays the same, as it does for many transactions in a row.
 *
 * The account order is the runtime's: the fee payer, then writable signers, read-only signers,
 * writable non-signers and read-only non-signers, each group in order of first appearance (the
 * payer, then per instruction its program id and its accounts).
 */
import { CourierError } from "@courier/agent";
import type { PublicKey, TransactionInstruction } from "@solana/web3.js";
import bs58 from "bs58";

export interface CompiledMessage {
  /** The serialized message: what each signer signs. */
  bytes: Uint8Array;
  /** The keys that must sign, in the order of their signatures (the payer first). */
  signers: Array<{ base58: string }>;
}

interface KeyMeta {
  key: PublicKey;
  base58: string;
  signer: boolean;
  writable: boolean;
  index: number;
}

const VERSION_0_PREFIX = 0x80;
/** Account indexes are one byte. */
const MAX_ACCOUNT_KEYS = 256;

let lastBlockhash = "";
let lastBlockhashBytes: Uint8Array = new Uint8Array(32);

function getBlockhashBytes(blockhash: string): Uint8Array {
  if (blockhash !== lastBlockhash) {
    const bytes = bs58.decode(blockhash);
    if (bytes.length !== 32) throw new Error(`recent blockhash is ${bytes.length} bytes, not 32`);
    lastBlockhashBytes = bytes;
    lastBlockhash = blockhash;
  }
  return lastBlockhashBytes;
}

/** The compact-u16 length prefix's size in bytes. */
function compactSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : 3;
}

function writeCompact(out: Uint8Array, at: number, n: number): number {
  let rest = n;
  let i = at;
  for (;;) {
    const low = rest & 0x7f;
    rest >>= 7;
    if (rest === 0) {
      out[i++] = low;
      return i;
    }
    out[i++] = low | 0x80;
  }
}

export function compileV0Message(payer: PublicKey, instructions: readonly TransactionInstruction[], blockhash: string): CompiledMessage {
  const metas = new Map<string, KeyMeta>();
  const meta = (key: PublicKey): KeyMeta => {
    const base58 = key.toBase58();
    let m = metas.get(base58);
    if (m === undefined) {
      m = { key, base58, signer: false, writable: false, index: 0 };
      metas.set(base58, m);
    }
    return m;
  };
  const payerMeta = meta(payer);
  payerMeta.signer = true;
  payerMeta.writable = true;
  let size = 0;
  // Per instruction, its program's meta then its accounts' (each key encoded to base58 once).
  const refs: KeyMeta[][] = [];
  for (const ix of instructions) {
    const r = [meta(ix.programId)];
    for (const k of ix.keys) {
      const m = meta(k.pubkey);
      if (k.isSigner) m.signer = true;
      if (k.isWritable) m.writable = true;
      r.push(m);
    }
    refs.push(r);
    size += 1 + compactSize(ix.keys.length) + ix.keys.length + compactSize(ix.data.length) + ix.data.length;
  }
  if (metas.size > MAX_ACCOUNT_KEYS) {
    throw new CourierError("COURIER__VALIDATION", `the transaction references ${metas.size} accounts, over the ${MAX_ACCOUNT_KEYS} a message can index`, {
      accounts: metas.size,
    });
  }

  // The four groups, each in order of first appearance.
  const ordered: KeyMeta[] = [];
  let readonlySigners = 0;
  let readonlyNonSigners = 0;
  for (const m of metas.values()) if (m.signer && m.writable) ordered.push(m);
  for (const m of metas.values()) {
    if (m.signer && !m.writable) {
      ordered.push(m);
      readonlySigners++;
    }
  }
  const signerCount = ordered.length;
  for (const m of metas.values()) if (!m.signer && m.writable) ordered.push(m);
  for (const m of metas.values()) {
    if (!m.signer && !m.writable) {
      ordered.push(m);
      readonlyNonSigners++;
    }
  }
  ordered.forEach((m, i) => {
    m.index = i;
  });

  size += 1 + 3 + compactSize(ordered.length) + 32 * ordered.length + 32 + compactSize(instructions.length) + 1;
  const out = new Uint8Array(size);
  out[0] = VERSION_0_PREFIX;
  out[1] = signerCount;
  out[2] = readonlySigners;
  out[3] = readonlyNonSigners;
  let at = writeCompact(out, 4, ordered.length);
  for (const m of ordered) {
    out.set(m.key.toBytes(), at);
    at += 32;
  }
  out.set(getBlockhashBytes(blockhash), at);
  at += 32;
  at = writeCompact(out, at, instructions.length);
  instructions.forEach((ix, n) => {
    const r = refs[n] as KeyMeta[];
    out[at++] = (r[0] as KeyMeta).index;
    at = writeCompact(out, at, ix.keys.length);
    for (let i = 1; i < r.length; i++) out[at++] = (r[i] as KeyMeta).index;
    at = writeCompact(out, at, ix.data.length);
    out.set(ix.data, at);
    at += ix.data.length;
  });
  out[at] = 0; // no address table lookups
  return { bytes: out, signers: ordered.slice(0, signerCount).map((m) => ({ base58: m.base58 })) };
}
