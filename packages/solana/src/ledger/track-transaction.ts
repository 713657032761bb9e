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
import type { StatusPoller } from "./status-poller.js";

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

/**
 * `onSent` is called once the first send has had its answer (or failed): from then on the run
 * only waits for the chain, so the crank may give its concurrency slot to the next op.
 */
export async function trackTransaction(
  deps: TrackDeps,
  entry: LedgerEntry,
  signal: AbortSignal,
  log: Pick<RunContext["log"], "debug">,
  onSent?: () => void,
): Promise<TrackVerdict> {
  const { pool, clock } = deps;
  const nonceAccount = isNonceEntry(entry) ? getNonceAccountOfWire(entry.wire) : null;
  let lastSendAt = Number.NEGATIVE_INFINITY;
  let sendCount = 0;
  let refused: CourierError | null = null;
  let sending: Promise<void> | null = null;
  let accepted = false;
  let seen = false;

  const send = () => {
    const first = sendCount === 0;
    sendCount++;
    if (first) deps.counters.sends++;
    else deps.counters.rebroadcasts++;
    sending = pool
      // The first send uses the request its admission reserved; a rebroadcast only free budget.
      .sendRawTransaction(entry.wire, { skipPreflight: true, ...(first ? { admitted: true } : { rebroadcast: true }) })
      .then(() => {
        // How long the signature aged before an endpoint took it (admission keeps this short).
        if (!accepted) log.debug({ signature: entry.signature, sign_to_send_ms: clock.now() - entry.created_at }, "tx.first_send");
        accepted = true;
      })
      .catch((e: unknown) => {
        const err = coerceError(e);
        if (REFUSED_ON_SEND.has(err.code) || err.code === "COURIER__OP__PROGRAM_ERROR") refused = err;
        // Anything else (timeout, dropped response, 5xx, already processed, blockhash not
        // found) leaves the outcome open: keep polling and rebroadcasting the same bytes.
        log.debug({ signature: entry.signature, code: err.code }, "send.error");
      })
      .finally(() => {
        sending = null;
        if (first) onSent?.();
      });
  };

  while (!signal.aborted) {
    // Once the cluster has seen the transaction, resending the same bytes adds nothing.
    if (!sending && !seen && clock.now() - lastSendAt >= deps.rebroadcastMs) {
      lastSendAt = clock.now();
      send();
    }
    const r = await deps.poller.next(entry.signature, signal);
    if (!r) break;
    if (r.error) {
      // Circuits open everywhere: stop (the crank cools down). A failed or throttled poll
      // (5xx, timeout, 429) is only a missing answer: the next poll asks again.
      if (r.error.code === "COURIER__RPC__ALL_ENDPOINTS_DOWN") return { kind: "interrupted", error: r.error };
      continue;
    }
    if (r.status) {
      seen = true;
      const verdict = await getVerdictOfStatus(deps, entry, r.status);
      if (verdict) return verdict;
      continue;
    }
    if (refused) {
      // The bank refused these bytes and the cluster has no record of them: they cannot land.
      const final = await getFinalStatus(pool, entry.signature);
      if (final === null) return { kind: "failed", error: refused };
      continue;
    }
    const expired = nonceAccount
      ? await isNonceMoved(pool, nonceAccount, entry.blockhash)
      : r.blockHeight !== null && entry.last_valid_block_height >= 0 && r.blockHeight > entry.last_valid_block_height;
    if (!expired) continue;
    const final = await getFinalStatus(pool, entry.signature);
    if (final === undefined) continue; // the check itself failed: decide on a later round
    if (final === null) return { kind: "expired" };
    const verdict = await getVerdictOfStatus(deps, entry, final);
    if (verdict) return verdict;
  }
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
