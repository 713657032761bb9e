/**
 * The bank: one LiteSVM plus the block clock and the ledger. Every endpoint of a localnet
 * shares one bank. All operations are synchronous, so a check-then-execute (window, duplicate,
 * preflight, execute) cannot interleave with another request.
 */
import { encodeBase58 } from "./base58.js";
import { createBlockClock, type BlockClock, type BlockClockState, type BlockhashEntry } from "./block-clock.js";
import { createNativeLiteSvm, isFailed, type NativeFailed, type NativeLiteSvm, type NativeMeta } from "./litesvm-native.js";
import { RPC_CODES, RpcError } from "./rpc-error.js";
import { advanceNonceAfterFailure, isDurableNonceValid } from "./durable-nonce.js";
import { computeFee, LAMPORTS_PER_SIGNATURE } from "./fees.js";
import { createTxLedger, STATUS_CACHE_SLOTS, type LandedTransaction, type TxLedger } from "./tx-ledger.js";
import { describeTransactionError, toTransactionErrorJson, type TransactionErrorJson } from "./tx-error.js";
import type { WireTransaction } from "./wire-transaction.js";

export interface BankOptions {
  confirmAfterSlots: number;
  finalizeAfterSlots: number;
  historyLimit?: number;
  /** Blockhashes to skip at genesis, so two fresh localnets do not share a blockhash sequence. */
  genesisSkips?: number;
  now?: () => number;
  snapshot?: { svm: Uint8Array; clock: BlockClockState; genesisHash: string; ledger: LandedTransaction[] };
}

export interface SimulationValue {
  err: TransactionErrorJson | null;
  logs: string[];
  accounts: null;
  unitsConsumed: number;
  returnData: { programId: string; data: [string, "base64"] } | null;
  innerInstructions: null;
  replacementBlockhash: { blockhash: string; lastValidBlockHeight: number } | null;
}

export interface Bank {
  readonly native: NativeLiteSvm;
  readonly clock: BlockClock;
  readonly ledger: TxLedger;
  readonly genesisHash: string;
  readonly confirmAfterSlots: number;
  readonly finalizeAfterSlots: number;
  /** Advance one slot (new blockhash, Clock sysvar, ledger pruning). */
  tick(): BlockhashEntry;
  send(tx: WireTransaction, opts: { skipPreflight: boolean }): string;
  simulate(tx: WireTransaction, opts: { sigVerify: boolean; replaceRecentBlockhash: boolean }): SimulationValue;
  airdrop(pubkey: Uint8Array, lamports: bigint): string;
  balanceOf(pubkey: Uint8Array): bigint;
  onSlot(listener: (e: BlockhashEntry) => void): () => void;
}

const DEFAULT_HISTORY_LIMIT = 500_000;

export function createBank(opts: BankOptions): Bank {
  const now = opts.now ?? Date.now;
  const native = createNativeLiteSvm(opts.snapshot?.svm);
  // LiteSVM's blockhash sequence is the same in every fresh instance; a transaction signed for
  // an earlier localnet must not become valid in a new one.
  if (opts.snapshot === undefined) for (let i = 0; i < (opts.genesisSkips ?? 0); i++) native.expireBlockhash();
  const clock = createBlockClock({
    confirmAfterSlots: opts.confirmAfterSlots,
    finalizeAfterSlots: opts.finalizeAfterSlots,
    initial: opts.snapshot?.clock ?? { genesisBlockhash: native.latestBlockhash(), nowMs: now() },
  });
  const genesisHash = opts.snapshot?.genesisHash ?? clock.latest("processed").blockhash;
  const ledger = createTxLedger({
    historyLimit: opts.historyLimit ?? DEFAULT_HISTORY_LIMIT,
    // Duplicate detection needs every signature whose blockhash may still be valid.
    keepSlots: Math.max(STATUS_CACHE_SLOTS, opts.finalizeAfterSlots) + 10,
  });
  for (const tx of opts.snapshot?.ledger ?? []) ledger.record(tx);
  const listeners = new Set<(e: BlockhashEntry) => void>();

  function balances(keys: Uint8Array[]): number[] {
    const out = new Array<number>(keys.length);
    for (let i = 0; i < keys.length; i++) out[i] = Number(native.getBalance(keys[i]!) ?? 0n);
    return out;
  }

  function preflightFailure(err: TransactionErrorJson, logs: string[], unitsConsumed: number): RpcError {
    if (err === "SignatureFailure") {
      return new RpcError(RPC_CODES.TRANSACTION_SIGNATURE_VERIFICATION_FAILURE, "Transaction signature verification failure");
    }
    return new RpcError(RPC_CODES.SEND_TRANSACTION_PREFLIGHT_FAILURE, `Transaction simulation failed: ${describeTransactionError(err)}`, {
      accounts: null,
      err,
      innerInstructions: null,
      loadedAccountsDataSize: 0,
      logs,
      replacementBlockhash: null,
      returnData: null,
      unitsConsumed,
    });
  }

  function runSimulation(tx: WireTransaction): NativeMeta | NativeFailed {
    const r = tx.version === "legacy" ? native.simulateLegacyTransaction(tx.bytes) : native.simulateVersionedTransaction(tx.bytes);
    return isFailed(r) ? r : r.meta();
  }

  function execute(tx: WireTransaction, signature: string, usesNonce: boolean): void {
    const pre = balances(tx.accountKeys);
    const r = tx.version === "legacy" ? native.sendLegacyTransaction(tx.bytes) : native.sendVersionedTransaction(tx.bytes);
    const post = balances(tx.accountKeys);
    const failed = isFailed(r);
    // A failed transaction lands only if it got as far as charging the fee payer.
    if (failed && post[0] === pre[0]) return;
    if (failed && usesNonce) advanceNonceAfterFailure(native, tx, LAMPORTS_PER_SIGNATURE);
    const meta = failed ? r.meta() : r;
    const tip = clock.latest("processed");
    ledger.record({
      signature,
      slot: clock.slot,
      height: clock.height,
      blockTime: tip.time,
      landedAtMs: now(),
      err: failed ? toTransactionErrorJson(r.err()) : null,
      fee: computeFee(tx),
      wire: tx.bytes,
      meta,
      logs: null,
      unitsConsumed: Number(meta.computeUnitsConsumed()),
      preBalances: pre,
      postBalances: post,
      sent: true,
    });
  }

  return {
    native,
    clock,
    ledger,
    genesisHash,
    confirmAfterSlots: opts.confirmAfterSlots,
    finalizeAfterSlots: opts.finalizeAfterSlots,
    tick() {
      native.expireBlockhash();
      const e = clock.advance(native.latestBlockhash(), now());
      native.warpToSlot(BigInt(e.slot));
      ledger.prune(e.slot);
      for (const l of listeners) l(e);
      return e;
    },
    send(tx, { skipPreflight }) {
      const signature = encodeBase58(tx.signatures[0]!);
      const inWindowByClock = clock.lookup(tx.blockhash) !== undefined;
      const usesNonce = !inWindowByClock && isDurableNonceValid(native, tx);
      const inWindow = inWindowByClock || usesNonce;
      const duplicate = ledger.has(signature);
      if (skipPreflight) {
        // The validator accepts it and the leader drops it: the client learns by polling.
        if (!inWindow || duplicate) return signature;
      } else {
        if (!inWindow) throw preflightFailure("BlockhashNotFound", [], 0);
        if (duplicate) throw preflightFailure("AlreadyProcessed", [], 0);
        const sim = runSimulation(tx);
        if (isFailed(sim)) {
          const meta = sim.meta();
          throw preflightFailure(toTransactionErrorJson(sim.err()), meta.logs(), Number(meta.computeUnitsConsumed()));
        }
      }
      execute(tx, signature, usesNonce);
      return signature;
    },
    simulate(tx, { sigVerify, replaceRecentBlockhash }) {
      const replacement = replaceRecentBlockhash ? clock.latest("processed") : null;
      const base = { accounts: null, innerInstructions: null, returnData: null, replacementBlockhash: null } as const;
      if (!replaceRecentBlockhash && clock.lookup(tx.blockhash) === undefined && !isDurableNonceValid(native, tx)) {
        return { ...base, err: "BlockhashNotFound", logs: [], unitsConsumed: 0 };
      }
      if (!sigVerify) native.setSigverify(false);
      let sim: NativeMeta | NativeFailed;
      try {
        sim = runSimulation(tx);
      } finally {
        if (!sigVerify) native.setSigverify(true);
      }
      const r = sim;
      const failed = isFailed(r);
      const meta = failed ? r.meta() : r;
      const rd = meta.returnData();
      const data = rd.data();
      return {
        ...base,
        err: failed ? toTransactionErrorJson(r.err()) : null,
        logs: meta.logs(),
        unitsConsumed: Number(meta.computeUnitsConsumed()),
        returnData: data.length > 0 ? { programId: encodeBase58(rd.programId()), data: [Buffer.from(data).toString("base64"), "base64"] } : null,
        replacementBlockhash: replacement ? { blockhash: replacement.blockhash, lastValidBlockHeight: replacement.lastValidBlockHeight } : null,
      };
    },
    airdrop(pubkey, lamports) {
      const pre = Number(native.getBalance(pubkey) ?? 0n);
      const r = native.airdrop(pubkey, lamports);
      if (r === null || isFailed(r)) {
        const err = r === null ? "AccountNotFound" : toTransactionErrorJson(r.err());
        throw new RpcError(RPC_CODES.INTERNAL_ERROR, `airdrop failed: ${describeTransactionError(err)}`);
      }
      const signature = encodeBase58(r.signature());
      ledger.record({
        signature,
        slot: clock.slot,
        height: clock.height,
        blockTime: clock.latest("processed").time,
        landedAtMs: now(),
        err: null,
        fee: 5000,
        wire: null,
        meta: r,
        logs: null,
        unitsConsumed: Number(r.computeUnitsConsumed()),
        preBalances: [pre],
        postBalances: [Number(native.getBalance(pubkey) ?? 0n)],
        sent: false,
      });
      return signature;
    },
    balanceOf(pubkey) {
      return native.getBalance(pubkey) ?? 0n;
    },
    onSlot(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

