/**
 * Landed transactions and their statuses. A transaction "lands" when it is executed in a
 * block, with or without an error (a fee is charged either way); a transaction rejected before
 * execution (unknown blockhash, fee payer cannot pay, bad signature) never appears here, as on
 * a real cluster.
 */
import type { Commitment } from "./block-clock.js";
import type { NativeMeta } from "./litesvm-native.js";
import type { TransactionErrorJson } from "./tx-error.js";

/** Slots the validator's status cache covers (getSignatureStatuses without history search). */
export const STATUS_CACHE_SLOTS = 300;

export interface LandedTransaction {
  signature: string;
  slot: number;
  height: number;
  blockTime: number;
  /** When the bank executed it, in ms (the moment an endpoint took the transaction). */
  landedAtMs: number;
  err: TransactionErrorJson | null;
  fee: number;
  /** Wire bytes (null for faucet airdrops, whose transaction LiteSVM builds itself). */
  wire: Uint8Array | null;
  /** LiteSVM's metadata, read lazily (logs are only materialized on demand). */
  meta: NativeMeta | null;
  logs: string[] | null;
  unitsConsumed: number;
  preBalances: number[];
  postBalances: number[];
  /** false for airdrops */
  sent: boolean;
}

export interface SignatureStatus {
  slot: number;
  confirmations: number | null;
  err: TransactionErrorJson | null;
  status: { Ok: null } | { Err: TransactionErrorJson };
  confirmationStatus: Commitment;
}

export interface TxLedger {
  record(tx: LandedTransaction): void;
  get(signature: string): LandedTransaction | undefined;
  has(signature: string): boolean;
  /** Landed transactions sent through sendTransaction (airdrops excluded). */
  readonly sentCount: number;
  /** Grows with every record: tells the state file whether anything changed. */
  readonly version: number;
  prune(currentSlot: number): void;
  all(): IterableIterator<LandedTransaction>;
}

export function createTxLedger(opts: { historyLimit: number; keepSlots: number }): TxLedger {
  const bySignature = new Map<string, LandedTransaction>();
  let sentCount = 0;
  let version = 0;
  return {
    record(tx) {
      version += 1;
      bySignature.set(tx.signature, tx);
      if (tx.sent) sentCount += 1;
    },
    get: (s) => bySignature.get(s),
    has: (s) => bySignature.has(s),
    get sentCount() {
      return sentCount;
    },
    get version() {
      return version;
    },
    prune(currentSlot) {
      if (bySignature.size <= opts.historyLimit) return;
      // Oldest first (insertion order); never drop what duplicate detection still needs.
      for (const [sig, tx] of bySignature) {
        if (bySignature.size <= opts.historyLimit || tx.slot >= currentSlot - opts.keepSlots) break;
        bySignature.delete(sig);
      }
    },
    all: () => bySignature.values(),
  };
}

export function getSignatureStatus(
  tx: LandedTransaction,
  currentHeight: number,
  levels: { confirmAfterSlots: number; finalizeAfterSlots: number },
): SignatureStatus {
  const depth = currentHeight - tx.height;
  const finalized = depth >= levels.finalizeAfterSlots;
  return {
    slot: tx.slot,
    confirmations: finalized ? null : depth,
    err: tx.err,
    status: tx.err === null ? { Ok: null } : { Err: tx.err },
    confirmationStatus: finalized ? "finalized" : depth >= levels.confirmAfterSlots ? "confirmed" : "processed",
  };
}

export function meetsCommitment(status: SignatureStatus, commitment: Commitment): boolean {
  if (commitment === "processed") return true;
  if (commitment === "confirmed") return status.confirmationStatus !== "processed";
  return status.confirmationStatus === "finalized";
}

export function getLogs(tx: LandedTransaction): string[] {
  if (tx.logs === null && tx.meta !== null) tx.logs = tx.meta.logs();
  return tx.logs ?? [];
}
