/**
 * The block clock: slots, block height and the window of recent blockhashes.
 * LiteSVM knows a single latest blockhash and no block height, so validity by block height
 * (a blockhash issued at height h is usable while the height is ≤ h + 150) is kept here.
 */
import { decodeBase58 } from "./base58.js";

/** A blockhash stays valid for 151 blocks: the one it was issued in plus 150 more. */
export const MAX_PROCESSING_AGE = 150;

export interface BlockhashEntry {
  blockhash: string;
  /** The 32 bytes as a latin1 string: a cheap map key for wire bytes. */
  key: string;
  slot: number;
  height: number;
  lastValidBlockHeight: number;
  /** Unix seconds the block was produced (blockTime). */
  time: number;
}

export interface BlockClockState {
  slot: number;
  height: number;
  entries: BlockhashEntry[];
}

export type Commitment = "processed" | "confirmed" | "finalized";

export interface BlockClock {
  readonly slot: number;
  readonly height: number;
  /** Move to the next slot with the given new blockhash. */
  advance(blockhash: string, nowMs: number): BlockhashEntry;
  /** The entry whose blockhash is in the window, by the 32 wire bytes. */
  lookup(blockhashBytes: Uint8Array): BlockhashEntry | undefined;
  lookupBase58(blockhash: string): BlockhashEntry | undefined;
  /** Latest entry as seen at a commitment level (confirmed/finalized lag behind). */
  latest(commitment: Commitment): BlockhashEntry;
  /** Slots a commitment lags behind the tip. */
  lag(commitment: Commitment): number;
  recentSlots(n: number): number[];
  state(): BlockClockState;
}

export function getBlockhashKey(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

export function createBlockClock(opts: {
  confirmAfterSlots: number;
  finalizeAfterSlots: number;
  initial: BlockClockState | { genesisBlockhash: string; nowMs: number };
}): BlockClock {
  let slot: number;
  let height: number;
  const entries: BlockhashEntry[] = [];
  const byKey = new Map<string, BlockhashEntry>();
  const byBase58 = new Map<string, BlockhashEntry>();

  function add(e: BlockhashEntry): void {
    entries.push(e);
    byKey.set(e.key, e);
    byBase58.set(e.blockhash, e);
    while (entries.length > MAX_PROCESSING_AGE + 1) {
      const old = entries.shift()!;
      byKey.delete(old.key);
      byBase58.delete(old.blockhash);
    }
  }

  function makeEntry(blockhash: string, atSlot: number, atHeight: number, nowMs: number): BlockhashEntry {
    const bytes = decodeBase58(blockhash);
    if (bytes === null || bytes.length !== 32) throw new Error(`invalid blockhash from LiteSVM: ${blockhash}`);
    return {
      blockhash,
      key: getBlockhashKey(bytes),
      slot: atSlot,
      height: atHeight,
      lastValidBlockHeight: atHeight + MAX_PROCESSING_AGE,
      time: Math.floor(nowMs / 1000),
    };
  }

  if ("entries" in opts.initial) {
    slot = opts.initial.slot;
    height = opts.initial.height;
    for (const e of opts.initial.entries) add({ ...e });
  } else {
    slot = 0;
    height = 0;
    add(makeEntry(opts.initial.genesisBlockhash, 0, 0, opts.initial.nowMs));
  }

  function lag(commitment: Commitment): number {
    if (commitment === "processed") return 0;
    return commitment === "confirmed" ? opts.confirmAfterSlots : opts.finalizeAfterSlots;
  }

  return {
    get slot() {
      return slot;
    },
    get height() {
      return height;
    },
    advance(blockhash, nowMs) {
      slot += 1;
      height += 1;
      const e = makeEntry(blockhash, slot, height, nowMs);
      add(e);
      return e;
    },
    lookup(bytes) {
      const e = byKey.get(getBlockhashKey(bytes));
      return e !== undefined && e.lastValidBlockHeight >= height ? e : undefined;
    },
    lookupBase58(blockhash) {
      const e = byBase58.get(blockhash);
      return e !== undefined && e.lastValidBlockHeight >= height ? e : undefined;
    },
    latest(commitment) {
      const i = Math.max(0, entries.length - 1 - lag(commitment));
      return entries[i]!;
    },
    lag,
    recentSlots(n) {
      return entries.slice(-n).map((e) => e.slot);
    },
    state() {
      return { slot, height, entries: entries.map((e) => ({ ...e })) };
    },
  };
}
