/**
 * The exactly-once Solana executor. One attempt of a run:
 * 1. read the run's ledger: a landed entry means done, a failed one means failed, a live one
 *    (signed, maybe sent) is resumed — its SAME bytes are tracked, never re-signed early;
 * 2. otherwise build → guard → sign, and PERSIST the entry before the first send;
 * 3. track it (rebroadcast + shared batched polling) to landed / failed / expired;
 * 4. expired (block height past its last valid height and a final history search found
 *    nothing) is the only road to a re-sign: the entry is marked expired, its spend released,
 *    and a new entry (seq + 1) starts at step 2.
 * A run that must stop before a verdict returns `ambiguous` (or `infra` when every endpoint is
 * down); the next attempt resumes from the ledger.
 */
import {
  type Clock,
  CourierError,
  coerceError,
  type ExecResult,
  type Executor,
  type LedgerEntry,
  type Op,
  type RunContext,
  type ExecutorStore,
} from "@courier/agent";
import { createSolanaActionRegistry, type SolanaActionRegistry } from "../actions/registry.js";
import type { SolanaActionDef } from "../actions/types.js";
import { createPriorityFeeEstimator } from "../fees/priority-fee.js";
import { createRecipientRentCheck } from "../guards/recipient-rent.js";
import { createSignerFunds } from "../guards/signer-funds.js";
import { createSpendGuards, getUtcDay, type SpendGuards } from "../guards/spend-guards.js";
import type { Signer } from "../keys/signer.js";
import { createStatusPoller, type StatusPollerStats } from "../ledger/status-poller.js";
import { type TrackDeps, type TrackVerdict, watchTransaction } from "../ledger/track-transaction.js";
import type { RpcPool } from "../rpc/types.js";
import { createBlockhashCache } from "./blockhash-cache.js";
import { buildSignedTransaction, type TransactionBuilderDeps } from "./build-transaction.js";

export interface SolanaExecutorOptions {
  pool: RpcPool;
  store: ExecutorStore;
  signer: Signer;
  /** Solana actions the executor can build (default: the built-ins). */
  registry?: SolanaActionRegistry;
  /** Commitment an op must reach to succeed. Default "confirmed". */
  commitment?: "confirmed" | "finalized";
  /** Rebroadcast the same bytes this often while unconfirmed. Default 1500 ms. */
  rebroadcastMs?: number;
  /**
   * Shared status poll interval, fixed. Default: once per slot of the cluster while several
   * signatures wait (measured; 50–400 ms), and up to 1 s while a single one does.
   */
  pollMs?: number;
  /** How long a fetched blockhash is shared by new transactions. Default: learned from the block rhythm (50 blocks, 1–20 s). */
  blockhashCacheMs?: number;
  maxLamportsPerOp?: number | null;
  dailyCapLamports?: number | null;
  feeCeilingMicroLamports?: number | null;
  /** Percentile of recent non-zero prioritization fees. Default 75. */
  feePercentile?: number;
  /** How long a fee estimate is reused. Default 5000 ms. */
  feeCacheMs?: number;
  /** Name written into audit events. */
  instance?: string;
  clock: Clock;
  logger: RunContext["log"];
}

export interface SolanaExecutorStats {
  poller: StatusPollerStats;
  sends: number;
  rebroadcasts: number;
  resigned: number;
  resumed: number;
  landed: number;
  failed: number;
}

export interface SolanaExecutor extends Executor {
  stop(): void;
  stats(): SolanaExecutorStats;
}

/** A signed transaction whose send is held up longer than this by a 429 is dropped unsent and signed again later. */
const HELD_UP_MS = 200;
/** Bounded: after this many drops the transaction is kept and waits for its send. */
const MAX_UNSENT_REBUILDS = 20;
// Pre-send reads (blockhash, fees, mint, simulation) retried in place before an attempt is spent.
const READ_TRIES = 3;
const READ_RETRY_MS = 150;

const SILENT_DEBUG = { debug: () => undefined } as unknown as Pick<RunContext["log"], "debug">;

/** One signed transaction of the run, from its signing (unless resumed) to its verdict. */
interface Round {
  op: Op;
  ctx: RunContext;
  action: SolanaActionDef;
  params: unknown;
  current: LedgerEntry | undefined;
  nextSeq: number;
  /** Sign with a raised fee (an earlier transaction of this run existed). */
  resign: boolean;
  count: number;
  /** Ends the run with its result (once; later calls are ignored). */
  end: (result: ExecResult) => void;
  /** Ends the run with a failure of Courier's own (a throw). */
  error: (e: unknown) => void;
}

export function createSolanaExecutor(opts: SolanaExecutorOptions): SolanaExecutor {
  const { pool, store, signer, clock } = opts;
  // One string for every ledger entry (base58 per op costs CPU, and a copy per entry in flight).
  const signerAddress = signer.publicKey.toBase58();
  const actions = opts.registry ?? createSolanaActionRegistry();
  // An explicit pollMs (tests, tuning) applies to a lone signature too.
  // By default several waiting signatures are polled once per slot of the cluster (measured,
  // at most every 400 ms and at least every 50 ms).
  const poller = createStatusPoller({ pool, clock, pollMs: opts.pollMs ?? 400, lonePollMs: opts.pollMs ?? 1_000, ...(opts.pollMs === undefined ? { minPollMs: 50 } : {}) });
  const counters = { sends: 0, rebroadcasts: 0, resigned: 0, resumed: 0, landed: 0, failed: 0 };
  const guards: SpendGuards = createSpendGuards({
    store,
    clock,
    signer: signerAddress,
    instance: opts.instance ?? null,
    maxLamportsPerOp: opts.maxLamportsPerOp ?? null,
    dailyCapLamports: opts.dailyCapLamports ?? null,
    feeCeilingMicroLamports: opts.feeCeilingMicroLamports ?? null,
  });
  const builder: TransactionBuilderDeps = {
    pool,
    signer,
    guards,
    fees: createPriorityFeeEstimator({
      pool,
      clock,
      percentile: opts.feePercentile ?? 75,
      cacheMs: opts.feeCacheMs ?? 5_000,
      onError: (err) => opts.logger.warn({ err: err.toJSON() }, "fees.estimate_failed"),
    }),
    blockhashes: createBlockhashCache({ pool, clock, ...(opts.blockhashCacheMs !== undefined ? { ttlMs: opts.blockhashCacheMs } : {}) }),
    feeCeilingMicroLamports: opts.feeCeilingMicroLamports ?? null,
    recipients: createRecipientRentCheck({ pool }),
    funds: createSignerFunds({ pool, signer: signer.publicKey, clock }),
  };
  const tracking: TrackDeps = {
    pool,
    poller,
    clock,
    commitment: opts.commitment ?? "confirmed",
    rebroadcastMs: opts.rebroadcastMs ?? 1_500,
    counters,
  };

  // One promise per run, settled through `end`: from the send on, the run waits as the
  // tracker's record and its listener, with no suspended async frame and no promise chain.
  function execute(op: Op, ctx: RunContext): Promise<ExecResult> {
    return new Promise<ExecResult>((resolve) => {
      let ended = false;
      const end = (result: ExecResult) => {
        if (ended) return;
        ended = true;
        void describeFailure(op, result).then(resolve);
      };
      const error = (e: unknown) => end(getThrownResult(e));
      executeRun(op, ctx, end, error).catch(error);
    });
  }

  /** Let the action name a program error in its own terms (an Anchor IDL's `errors`). */
  async function describeFailure(op: Op, result: ExecResult): Promise<ExecResult> {
    const action = actions.get(op.action);
    if (result.outcome === "ok" || !action?.describeError || result.error.context.custom_code === undefined) return result;
    try {
      return { ...result, error: await action.describeError(result.error, op.params) };
    } catch {
      return result;
    }
  }

  async function executeRun(op: Op, ctx: RunContext, end: (r: ExecResult) => void, error: (e: unknown) => void): Promise<void> {
    const action = actions.get(op.action);
    if (!action) {
      return end(fail(new CourierError("COURIER__ACTION__UNKNOWN", `action ${JSON.stringify(op.action)} is not a Solana action`, { action: op.action })));
    }
    const parsed = action.params.safeParse(op.params);
    if (!parsed.success) {
      return end(fail(new CourierError("COURIER__ACTION__INVALID_PARAMS", `params of ${op.action}: ${parsed.error.message}`, { action: op.action })));
    }

    const entries = (await ctx.ledger.entries()).sort((a, b) => a.seq - b.seq);
    const landed = entries.find((e) => e.state === "landed");
    if (landed) return end({ outcome: "ok", signature: landed.signature, detail: { resumed: true } });
    // A failed entry below ledger_floor was the verdict before an operator retry: history, not replayed.
    const failed = entries.find((e) => e.state === "failed" && e.seq >= op.ledger_floor);
    if (failed) {
      return end(fail(new CourierError("COURIER__OP__TRANSACTION_FAILED", failed.error ?? "transaction failed", { signature: failed.signature }), failed.signature));
    }

    let current: LedgerEntry | undefined = entries.at(-1);
    if (current && (current.state === "expired" || current.state === "failed")) current = undefined;
    if (current) {
      counters.resumed++;
      ctx.log.info({ signature: current.signature, seq: current.seq }, "ledger.resume");
    }
    const nextSeq = entries.length === 0 ? 0 : (entries.at(-1)?.seq ?? 0) + 1;
    await runRound({ op, ctx, action, params: parsed.data, current, nextSeq, resign: entries.length > 0, count: 0, end, error });
  }

  /** Sign (unless resumed) and hand the transaction to the tracker; returns once it is tracked. */
  async function runRound(r: Round): Promise<void> {
    // Bounded: each expiry costs a full blockhash lifetime, and the signal ends the run anyway.
    if (r.count >= 1_000 || r.ctx.signal.aborted) return r.end(interrupted(r.ctx));
    if (!r.current) {
      r.current = await signAndPersist(r.op, r.ctx, r.action, r.params, r.nextSeq, r.resign || r.count > 0);
      if (!r.current) return r.end(interrupted(r.ctx));
      r.nextSeq = r.current.seq + 1;
    }
    const entry: LedgerEntry = r.current;
    const ctx = r.ctx;
    // Sent, the verdict is awaited without holding a concurrency slot.
    watchTransaction(tracking, entry, ctx.signal, debugLog(ctx), () => ctx.awaitingVerdict?.(), {
      onVerdict: (verdict) => afterVerdict(r, entry, verdict).catch(r.error),
      onError: r.error,
    });
  }

  async function afterVerdict(r: Round, entry: LedgerEntry, verdict: TrackVerdict): Promise<void> {
    const ctx = r.ctx;
    switch (verdict.kind) {
      case "landed":
        counters.landed++;
        await settle(ctx, entry, "landed", null);
        return r.end({ outcome: "ok", signature: entry.signature, detail: { slot: verdict.slot, seq: entry.seq } });
      case "failed":
        counters.failed++;
        await settle(ctx, entry, "failed", verdict.error.message);
        await guards.release({ day: getUtcDay(entry.created_at), lamports: entry.lamports });
        // On chain with an error (or refused outright): retrying the run cannot undo that.
        return r.end({ outcome: "permanent", error: withSignature(verdict.error, entry.signature), signature: entry.signature });
      case "expired":
        counters.resigned++;
        ctx.log.info({ signature: entry.signature, seq: entry.seq }, "ledger.expired");
        await ctx.ledger.update(entry.seq, "expired", "blockhash expired before the transaction landed");
        await guards.release({ day: getUtcDay(entry.created_at), lamports: entry.lamports });
        r.current = undefined;
        r.count++;
        return runRound(r);
      case "interrupted":
        return r.end({ outcome: verdict.error.outcome === "infra" ? "infra" : "ambiguous", error: verdict.error, signature: entry.signature });
    }
  }

  /**
   * Tracking logs only at debug level: the run's child logger (built on first use, a few KB
   * each) is not made for every op in flight when debug lines would be dropped anyway.
   */
  function debugLog(ctx: RunContext): Pick<RunContext["log"], "debug"> {
    // Debug off (the default): one shared no-op, not an object and a closure per run in flight.
    if (opts.logger.isLevelEnabled?.("debug") === false) return SILENT_DEBUG;
    return { debug: (obj: object, msg?: string) => ctx.log.debug(obj, msg) } as Pick<RunContext["log"], "debug">;
  }

  async function signAndPersist(op: Op, ctx: RunContext, action: SolanaActionDef, params: unknown, seq: number, resign: boolean): Promise<LedgerEntry | undefined> {
    let built: Awaited<ReturnType<typeof buildSignedTransaction>> | undefined;
    for (let rebuilds = 0; ; rebuilds++) {
      // Admission: sign only once the first send fits an endpoint's budget, so a signature never
      // ages in a queue behind the rate limit (over budget for long: backpressure, infra).
      await pool.admit("sendTransaction", ctx.signal);
      if (ctx.signal.aborted) return undefined;
      built = await withReadRetries(ctx, () => buildSignedTransaction(builder, { op, run: ctx.run, action, params, resign }));
      if (!built) return undefined;
      // A 429 came while this was built: its send would wait out Retry-After already signed.
      // Nothing recorded it and nothing sent it, so it is dropped and signed again once sends go.
      if (rebuilds >= MAX_UNSENT_REBUILDS || pool.heldUpMs("sendTransaction") <= HELD_UP_MS) break;
      pool.unadmit("sendTransaction");
      await guards.release({ day: built.spendDay, lamports: built.lamports });
    }
    const now = clock.now();
    const entry: LedgerEntry = {
      op_id: op.id,
      run: ctx.run,
      seq,
      signature: built.signature,
      wire: built.wire,
      blockhash: built.blockhash,
      last_valid_block_height: built.lastValidBlockHeight,
      state: "signed",
      error: null,
      lamports: built.lamports,
      signer: signerAddress,
      created_at: now,
      updated_at: now,
    };
    try {
      // The write-ahead rule: no byte leaves before the ledger knows the signature.
      await ctx.ledger.put({
        seq,
        signature: entry.signature,
        wire: entry.wire,
        blockhash: entry.blockhash,
        last_valid_block_height: entry.last_valid_block_height,
        state: "signed",
        error: null,
        lamports: entry.lamports,
        signer: entry.signer,
      });
    } catch (e) {
      await guards.release({ day: built.spendDay, lamports: built.lamports }).catch(() => undefined);
      throw e;
    }
    if (seq > 0) ctx.log.info({ signature: entry.signature, seq }, "ledger.resign");
    return entry;
  }

  /** Retry transient pre-send failures a few times in place; nothing was sent, so this is safe. */
  async function withReadRetries<T>(ctx: RunContext, fn: () => Promise<T>): Promise<T | undefined> {
    for (let i = 1; ; i++) {
      try {
        return await fn();
      } catch (e) {
        const err = coerceError(e);
        // A blip of every endpoint (one 5xx, one timeout) is retried here too; nothing was sent.
        const transient = err.outcome === "retryable" || err.code === "COURIER__RPC__ALL_ENDPOINTS_FAILING";
        if (!transient || i >= READ_TRIES || ctx.signal.aborted) throw err;
        await clock.sleep(READ_RETRY_MS * i, ctx.signal);
        if (ctx.signal.aborted) return undefined;
      }
    }
  }

  async function settle(ctx: RunContext, entry: LedgerEntry, state: "landed" | "failed", error: string | null): Promise<void> {
    try {
      await ctx.ledger.update(entry.seq, state, error);
    } catch (e) {
      // The chain is the truth: a later attempt re-reads the status of this same signature.
      ctx.log.warn({ signature: entry.signature, err: coerceError(e).toJSON() }, "ledger.update_failed");
    }
  }

  return {
    execute,
    stop: () => poller.stop(),
    stats: () => ({ poller: poller.stats(), ...counters }),
  };
}

function fail(error: CourierError, signature?: string): ExecResult {
  return { outcome: error.outcome === "ok" ? "permanent" : error.outcome, error, ...(signature ? { signature } : {}) };
}

/** What a throw inside the executor counts as: its error's outcome, retryable when it names none. */
function getThrownResult(e: unknown): ExecResult {
  const error = coerceError(e);
  return error.outcome === "ok" ? { outcome: "retryable", error } : { outcome: error.outcome, error };
}

function withSignature(error: CourierError, signature: string): CourierError {
  return new CourierError(error.code, error.message, { ...error.context, signature }, { outcome: error.outcome });
}

function interrupted(ctx: RunContext): ExecResult {
  return {
    outcome: "ambiguous",
    error: new CourierError("COURIER__RPC__UNCONFIRMED", ctx.signal.aborted ? "run stopped before its transaction was resolved" : "run gave up unresolved"),
  };
}
