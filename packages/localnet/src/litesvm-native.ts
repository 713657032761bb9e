/**
 * The raw binding behind `litesvm`'s `LiteSVM` wrapper. The wrapper re-encodes every
 * transaction through `@solana/kit` and takes base58 addresses; the shim already holds
 * validated wire bytes and raw keys, and this path halves the cost per transaction.
 */
import { LiteSVM } from "litesvm";

export interface NativeMeta {
  signature(): Uint8Array;
  logs(): string[];
  computeUnitsConsumed(): bigint;
  returnData(): { programId(): Uint8Array; data(): Uint8Array };
}
export interface NativeFailed {
  err(): unknown;
  meta(): NativeMeta;
}
export interface NativeSimulated {
  meta(): NativeMeta;
}
export interface NativeAccount {
  lamports(): bigint;
  data(): Uint8Array;
  owner(): Uint8Array;
  executable(): boolean;
  rentEpoch(): bigint;
}

export interface NativeLiteSvm {
  sendLegacyTransaction(bytes: Uint8Array): NativeMeta | NativeFailed;
  sendVersionedTransaction(bytes: Uint8Array): NativeMeta | NativeFailed;
  simulateLegacyTransaction(bytes: Uint8Array): NativeSimulated | NativeFailed;
  simulateVersionedTransaction(bytes: Uint8Array): NativeSimulated | NativeFailed;
  getBalance(pubkey: Uint8Array): bigint | null;
  getAccount(pubkey: Uint8Array): NativeAccount | null;
  /** `account` is litesvm's `Account` class. */
  setAccount(pubkey: Uint8Array, account: unknown): void;
  airdrop(pubkey: Uint8Array, lamports: bigint): NativeMeta | NativeFailed | null;
  setSigverify(on: boolean): void;
  minimumBalanceForRentExemption(dataLen: bigint): bigint;
  expireBlockhash(): void;
  latestBlockhash(): string;
  warpToSlot(slot: bigint): void;
  toBytes(): Uint8Array;
}

const REQUIRED = [
  "sendLegacyTransaction",
  "sendVersionedTransaction",
  "simulateLegacyTransaction",
  "simulateVersionedTransaction",
  "getBalance",
  "getAccount",
  "setAccount",
  "airdrop",
  "setSigverify",
  "minimumBalanceForRentExemption",
  "expireBlockhash",
  "latestBlockhash",
  "warpToSlot",
  "toBytes",
] as const;

export function isFailed(r: NativeMeta | NativeFailed | NativeSimulated): r is NativeFailed {
  return typeof (r as NativeFailed).err === "function";
}

/** A LiteSVM configured for the shim: blockhash window and duplicate detection are done here. */
export function createNativeLiteSvm(snapshot?: Uint8Array): NativeLiteSvm {
  // The faucet holds a billion SOL, so airdrops never run dry in a long test or benchmark.
  const svm = snapshot ? LiteSVM.fromBytes(snapshot) : new LiteSVM().withLamports(1_000_000_000n * 1_000_000_000n);
  svm.withBlockhashCheck(false).withTransactionHistory(0n).withSigverify(true);
  const inner = (svm as unknown as { inner?: Record<string, unknown> }).inner;
  for (const name of REQUIRED) {
    if (typeof inner?.[name] !== "function") {
      throw new Error(`litesvm binding lacks ${name}(): the localnet supports litesvm 1.5.x`);
    }
  }
  return inner as unknown as NativeLiteSvm;
}
