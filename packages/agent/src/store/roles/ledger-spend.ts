/** The executor's roles: its ledger and spend accounting. */
import type { LedgerEntry, LedgerState } from "../../types.js";

/** Guard of a ledger write: only while the op is `running` under `owner`. */
export interface LedgerPutGuard {
  owner: string;
}
/** One entry of a batched ledger write (see LedgerStore.putLedgerEntries). */
export interface PutLedgerEntryArgs {
  entry: LedgerEntry;
  /** Written only while the op is `running` under this owner. */
  owner: string;
}
/** What became of one entry of a batched ledger write. */
export type LedgerPutResult = "ok" | "lease_lost" | "conflict";
/** What became of one update of a batch: "not_found" when no such entry exists (nothing written). */
export type LedgerUpdateResult = "ok" | "not_found";
export interface UpdateLedgerEntryArgs {
  op_id: string;
  run: number;
  seq: number;
  state: LedgerState;
  error: string | null;
  now: number;
}
/** The executor's ledger (see glossary: ledger entry). */
export interface LedgerStore {
  /**
   * Write an entry before its first send. With `guard`, only while the op is `running` under
   * `guard.owner`, in one transaction with that check (COURIER__OP__LEASE_LOST otherwise): an
   * op cancelled or lost meanwhile never gets a transaction that could land.
   */
  putLedgerEntry(entry: LedgerEntry, guard?: LedgerPutGuard): Promise<void>;
  /**
   * putLedgerEntry with its guard for a batch, in ONE transaction (the hot path: one commit for
   * a batch of signed transactions, before any of them is sent). Entry i is written only while
   * its op is `running` under its owner; result i is "ok", "lease_lost" (nothing written) or
   * "conflict" (that (op, run, seq) or signature exists). A thrown error means nothing was written.
   */
  putLedgerEntries(batch: PutLedgerEntryArgs[]): Promise<LedgerPutResult[]>;
  /** Set an entry's state (COURIER__NOT_FOUND when it does not exist). */
  updateLedgerEntry(args: UpdateLedgerEntryArgs): Promise<void>;
  /**
   * updateLedgerEntry for a batch, in ONE transaction (the hot path: the verdicts of one status
   * poll are written together). Result i is "ok" or "not_found"; a thrown error means nothing
   * was written.
   */
  updateLedgerEntries(batch: UpdateLedgerEntryArgs[]): Promise<LedgerUpdateResult[]>;
  getLedgerEntries(op_id: string, run: number): Promise<LedgerEntry[]>;
  /** Signatures recorded for an op across runs (ops show). */
  getOpLedger(op_id: string): Promise<LedgerEntry[]>;
}
export interface ReserveSpendArgs {
  signer: string;
  day: string;
  lamports: number;
  cap: number | null;
}
export interface ReleaseSpendArgs {
  signer: string;
  day: string;
  lamports: number;
}
export interface SpendTodayArgs {
  day: string;
}
/** Spend accounting, per signer per UTC day (spend guards). */
export interface SpendStore {
  /** Atomically add `lamports` to today's spend unless it would pass `cap`; returns the new total or null when refused. */
  reserveSpend(args: ReserveSpendArgs): Promise<number | null>;
  /**
   * reserveSpend for a batch, in ONE transaction, applied in order (an entry is checked against
   * the totals the earlier ones left). Result i is the new total, or null when entry i was
   * refused; a thrown error means nothing was reserved.
   */
  reserveSpends(batch: ReserveSpendArgs[]): Promise<Array<number | null>>;
  /** Give back a reservation whose transaction never landed. */
  releaseSpend(args: ReleaseSpendArgs): Promise<void>;
  spendToday(args: SpendTodayArgs): Promise<number>;
}
