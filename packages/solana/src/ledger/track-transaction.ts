/**
 * Drive one signed transaction (one ledger entry) to a verdict, exactly-once rules included:
 * rebroadcast the SAME bytes every `rebroadcastMs`, learn its status from the shared poller,
 * and declare it expired only when the block height at `confirmed` is past its
 * `last_valid_block_height` (or its durable nonce moved) AND a final status check with
 * `searchTransactionHistory` finds nothing. A failed or ambiguous send never ends tracking.
 */

import { type Clock, CourierError, coerceError, isCourierError, type LedgerEntry, type RunContext } from "@courier/agent";
import type { PublicKey } from "@solana/web3.js";
import { classifyTransactionError, getCourierInstructionCount } from "../errors/index.js";
import type { Commitment, RpcPool, SignatureStatus } from "../rpc/types.js";
import { getNonce, getNonceAccountOfWire, isNonceEntry } from "./durable-nonce.js";
import type { PollResult, PollWatcher, StatusPoller } from "./status-poller.js";

export type TrackVerdict =
  | { kind: "landed"; slot: number }
  | { kind: "failed"; error: CourierError }
  /** Definitely not on chain and never will be: safe to re-sign. */
  | { kind: "expired" }
  /** The run must stop before a verdict (shutdown, lease lost, every endpoint down). */
  | { kind: "interrupted"; error: CourierError };

export interface TrackDeps {
  pool: RpcPool;
  poller: StatusPoller;
  clock: Clock;
  commitment: Exclude<Commitment, "processed">;
  rebroadcastMs: number;
  counters: { sends: number; rebroadcasts: number };
}

/** Send errors after which this exact transaction cannot land (the bank refused it outright). */
const REFUSED_ON_SEND = new Set(["COURIER__OP__INSUFFICIENT_FUNDS", "COURIER__OP__ACCOUNT_NOT_FOUND", "COURIER__OP__TRANSACTION_FAILED"]);

/** Told how tracking ended: a verdict, or a failure of one of its own checks (a bug, not the chain). */
export interface TrackListener {
  onVerdict(v: TrackVerdict): void;
  onError(e: unknown): void;
}

/**
 * Track `entry` until a verdict and tell `listener`. `onSent` is called once the first send has
 * had its answer (or failed), or as soon as it is handed to the pool when the pool's send window
 * (send-window.ts) has a seat: from then on the run only waits for the network and the chain, so
 * the crank may give its concurrency slot to the next op.
 */
export function watchTransaction(
  deps: TrackDeps,
  entry: LedgerEntry,
  signal: AbortSignal,
  log: Pick<RunContext["log"], "debug">,
  onSent: (() => void) | null,
  listener: TrackListener,
): void {
  new Tracker(deps, entry, signal, log, onSent, listener).start();
}

/**
 * One sent transaction waiting for its verdict. Not an async loop but one small record with
 * prototype methods: the shared poller calls `onPoll` once per poll that includes the signature,
 * so ten thousand transactions in flight cost a record each, not a suspended call chain and its
 * closures. Each round does what a loop iteration would: send or rebroadcast when due, then wait
 * for the next poll. It is also the listener of the run's abort signal (`handleEvent`).
 */
class Tracker implements PollWatcher {
  private readonly nonceAccount: PublicKey | null;
  private lastSendAt = Number.NEGATIVE_INFINITY;
  private sendCount = 0;
  private refused: CourierError | null = null;
  private sending = false;
  private accepted = false;
  private seen = false;
  private done = false;

  constructor(
    private readonly deps: TrackDeps,
    private readonly entry: LedgerEntry,
    private readonly signal: AbortSignal,
    private readonly log: Pick<RunContext["log"], "debug">,
    private readonly onSent: (() => void) | null,
    private readonly listener: TrackListener,
  ) {
    this.nonceAccount = isNonceEntry(entry) ? getNonceAccountOfWire(entry.wire) : null;
  }

  start(): void {
    this.signal.addEventListener("abort", this, { once: true });
    this.round();
  }

  /** The run's signal aborted (shutdown, lease lost). */
  handleEvent(): void {
    this.finish(getInterrupted(this.entry));
  }

  onPoll(r: PollResult | null): void {
    if (this.done) return;
    const next = r ? this.decide(r) : getInterrupted(this.entry);
    if (next === "round") this.round();
    else if (next instanceof Promise) this.await(next);
    else this.finish(next);
  }

  /** What a poll result leads to: the next round, a verdict, or a check whose answer decides. */
  private decide(r: PollResult): TrackVerdict | "round" | Promise<TrackVerdict | null> {
    const { deps, entry } = this;
    if (r.error) {
      // Circuits open everywhere: stop (the crank cools down). A failed or throttled poll
      // (5xx, timeout, 429) is only a missing answer: the next poll asks again.
      return r.error.code === "COURIER__RPC__ALL_ENDPOINTS_DOWN" ? { kind: "interrupted", error: r.error } : "round";
    }
    if (r.status) {
      this.seen = true;
      return getVerdictOfStatus(deps, entry, r.status);
    }
    const refused = this.refused;
    if (refused) {
      // The bank refused these bytes and the cluster has no record of them: they cannot land.
      return getFinalStatus(deps.pool, entry.signature).then((final) => (final === null ? { kind: "failed" as const, error: refused } : null));
    }
    if (this.nonceAccount) {
      return isNonceMoved(deps.pool, this.nonceAccount, entry.blockhash).then((moved) => (moved ? getExpiredVerdict(deps, entry) : null));
    }
    const expired = r.blockHeight !== null && entry.last_valid_block_height >= 0 && r.blockHeight > entry.last_valid_block_height;
    return expired ? getExpiredVerdict(deps, entry) : "round";
  }

  /** One round: send when due, then wait for the next poll with this signature. */
  private round(): void {
    if (this.done) return;
    if (this.signal.aborted) {
      this.finish(getInterrupted(this.entry));
      return;
    }
    // Once the cluster has seen the transaction, resending the same bytes adds nothing.
    if (!this.sending && !this.seen && this.deps.clock.now() - this.lastSendAt >= this.deps.rebroadcastMs) {
      this.lastSendAt = this.deps.clock.now();
      this.send();
    }
    this.deps.poller.watch(this.entry.signature, this);
  }

  /** A verdict, or the next round (an async check's answer; its own failure rejects the run). */
  private await(p: Promise<TrackVerdict | null>): void {
    p.then(
      (v) => (v ? this.finish(v) : this.round()),
      (e: unknown) => this.end(() => this.listener.onError(e)),
    );
  }

  private send(): void {
    const { deps, entry, log } = this;
    const first = this.sendCount === 0;
    this.sendCount++;
    if (first) deps.counters.sends++;
    else deps.counters.rebroadcasts++;
    this.sending = true;
    const window = deps.pool.sendWindow;
    // With a seat in the send window, the slot goes back now rather than at the answer.
    const early = first && this.onSent !== null && window.tryEnter();
    deps.pool
      // The first send uses the request its admission reserved; a rebroadcast only free budget.
      .sendRawTransaction(entry.wire, { skipPreflight: true, ...(first ? { admitted: true } : { rebroadcast: true }) })
      .then(
        () => {
          if (first) window.onAnswered();
          // How long the signature aged before an endpoint took it (admission keeps this short).
          if (!this.accepted) log.debug({ signature: entry.signature, sign_to_send_ms: deps.clock.now() - entry.created_at }, "tx.first_send");
          this.accepted = true;
        },
        (e: unknown) => {
          const err = coerceError(e);
          if (REFUSED_ON_SEND.has(err.code) || err.code === "COURIER__OP__PROGRAM_ERROR") this.refused = err;
          // Anything else (timeout, dropped response, 5xx, already processed, blockhash not
          // found) leaves the outcome open: keep polling and rebroadcasting the same bytes.
          log.debug({ signature: entry.signature, code: err.code }, "send.error");
        },
      )
      .finally(() => {
        this.sending = false;
        if (early) window.leave();
        else if (first) this.onSent?.();
      });
    // After this turn, so the executor's persist step ends before the slot moves on.
    if (early && this.onSent) queueMicrotask(this.onSent);
  }

  private finish(v: TrackVerdict): void {
    this.end(() => this.listener.onVerdict(v));
  }

  private end(settle: () => void): void {
    if (this.done) return;
    this.done = true;
    this.signal.removeEventListener("abort", this);
    this.deps.poller.unwatch(this.entry.signature, this);
    settle();
  }
}

/** Past its last valid block height: expired only if a final search with history finds nothing. */
async function getExpiredVerdict(deps: TrackDeps, entry: LedgerEntry): Promise<TrackVerdict | null> {
  const final = await getFinalStatus(deps.pool, entry.signature);
  if (final === undefined) return null; // the check itself failed: decide on a later round
  if (final === null) return { kind: "expired" };
  return getVerdictOfStatus(deps, entry, final);
}

function getInterrupted(entry: LedgerEntry): TrackVerdict {
  return {
    kind: "interrupted",
    error: new CourierError("COURIER__RPC__UNCONFIRMED", `transaction ${entry.signature} unresolved when the run stopped; the next attempt resumes it`, {
      signature: entry.signature,
    }),
  };
}

async function getVerdictOfStatus(deps: TrackDeps, entry: LedgerEntry, status: SignatureStatus): Promise<TrackVerdict | null> {
  if (status.err !== null && status.err !== undefined) {
    const logs = await getLogs(deps.pool, entry.signature);
    return { kind: "failed", error: classifyTransactionError(status.err, logs, { instructionOffset: getCourierInstructionCount(entry.wire) }) };
  }
  if (isAtCommitment(status, deps.commitment)) return { kind: "landed", slot: status.slot };
  return null;
}

export function isAtCommitment(status: SignatureStatus, commitment: "confirmed" | "finalized"): boolean {
  const c = status.confirmationStatus;
  if (commitment === "finalized") return c === "finalized";
  return c === "confirmed" || c === "finalized";
}

/** A status with history search: null = not found, undefined = the check failed. */
async function getFinalStatus(pool: RpcPool, signature: string): Promise<SignatureStatus | null | undefined> {
  try {
    const [s] = await pool.getSignatureStatuses([signature], { searchTransactionHistory: true });
    return s ?? null;
  } catch {
    return undefined;
  }
}

async function isNonceMoved(pool: RpcPool, account: PublicKey, blockhash: string): Promise<boolean> {
  try {
    return (await getNonce(pool, account)).nonce !== blockhash;
  } catch (e) {
    // A closed nonce account can never validate the transaction again.
    return isCourierError(e, "COURIER__OP__ACCOUNT_NOT_FOUND");
  }
}

/** Program logs of a landed transaction, for a better error reason (best effort). */
async function getLogs(pool: RpcPool, signature: string): Promise<string[] | null> {
  try {
    const tx = await pool.call<{ meta?: { logMessages?: string[] | null } } | null>("getTransaction", [
      signature,
      { encoding: "json", commitment: "confirmed", maxSupportedTransactionVersion: 0 },
    ]);
    return tx?.meta?.logMessages ?? null;
  } catch {
    return null;
  }
}
