/**
 * The RPC pool's contract with the rest of the Solana package. The executor never talks to an
 * endpoint directly: it asks the pool, which picks a healthy endpoint, enforces timeouts and
 * rate limits, fails over, and turns every failure into a CourierError with an outcome class.
 */

import type { BudgetSnapshot } from "./endpoint-budget.js";
import type { SendWindow } from "./send-window.js";

export type Commitment = "processed" | "confirmed" | "finalized";
export type CircuitState = "closed" | "open" | "half_open";

export interface EndpointHealth {
  /** The endpoint URL with secrets (API keys in path or query, userinfo) stripped. */
  endpoint: string;
  healthy: boolean;
  circuit: CircuitState;
  latency_ms: number | null;
  slot: number | null;
  slot_lag: number | null;
  last_error: string | null;
  down_since: number | null;
  /** The request budget Courier keeps to (learned in auto mode): total and per-method requests/s. */
  rate_limit: BudgetSnapshot;
}

/**
 * One request to one endpoint, as it ended (for metrics): `result` is "ok", "rate_limited" (429)
 * or "error" with the failure `kind` (timeout, unreachable, http, json_rpc, …). `failover` marks
 * a call that moved on to another endpoint after this request failed.
 */
export interface RpcRequestObservation {
  endpoint: string;
  method: string;
  duration_ms: number;
  result: "ok" | "rate_limited" | "error";
  kind: string | null;
}
export interface RpcObserver {
  request(o: RpcRequestObservation): void;
  failover(o: { method: string; from: string }): void;
}

/** A signature status as the JSON-RPC `getSignatureStatuses` returns it. */
export interface SignatureStatus {
  slot: number;
  confirmations: number | null;
  err: unknown | null;
  confirmationStatus: Commitment | null;
}

export interface RpcPool {
  /** How many answered-awaiting first sends may run without a concurrency slot (send-window.ts). */
  readonly sendWindow: SendWindow;
  /** One JSON-RPC call with failover across healthy endpoints; throws CourierError. */
  call<T>(method: string, params: unknown[], opts?: { timeoutMs?: number }): Promise<T>;
  getLatestBlockhash(commitment?: Commitment): Promise<{ blockhash: string; lastValidBlockHeight: number }>;
  getBlockHeight(commitment?: Commitment): Promise<number>;
  /** Batched in calls of ≤ 256 signatures; result index matches input index. */
  getSignatureStatuses(signatures: string[], opts?: { searchTransactionHistory?: boolean }): Promise<Array<SignatureStatus | null>>;
  /**
   * Send signed wire bytes with skipPreflight and maxRetries 0. Resolves with the signature.
   * A timeout / connection reset / dropped response throws COURIER__RPC__SEND_AMBIGUOUS.
   * `broadcast: true` sends the same bytes to every healthy endpoint (duplicates are harmless).
   */
  sendRawTransaction(
    wire: Uint8Array,
    opts?: {
      broadcast?: boolean;
      skipPreflight?: boolean;
      /** The first send of a transaction admitted with `admit("sendTransaction")`: uses that reservation. */
      admitted?: boolean;
      /** A rebroadcast: sent only if budget is free now (else BACKPRESSURE at once). */
      rebroadcast?: boolean;
    },
  ): Promise<string>;
  simulateTransaction(wire: Uint8Array, opts?: { sigVerify?: boolean; replaceRecentBlockhash?: boolean }): Promise<{ err: unknown | null; logs: string[] | null; unitsConsumed: number | null }>;
  getRecentPrioritizationFees(accounts: string[]): Promise<Array<{ slot: number; prioritizationFee: number }>>;
  getBalance(address: string, commitment?: Commitment): Promise<number>;
  getAccountInfo(address: string): Promise<{ lamports: number; owner: string; data: Uint8Array } | null>;
  getGenesisHash(): Promise<string>;
  /**
   * Admission: wait until a request of `method` fits some endpoint's budget and reserve it for
   * the caller's next such request (sign only what can be sent now). Throws
   * COURIER__RPC__BACKPRESSURE (infra) when nothing fits within the pool's wait bound.
   */
  admit(method: string, signal?: AbortSignal): Promise<void>;
  /** Ms until a `method` request could leave some endpoint (a 429's Retry-After), 0 when one can now. */
  heldUpMs(method: string): number;
  /** Give back an admission whose request will not be made (its transaction was dropped unsent). */
  unadmit(method: string): void;
  /** Per-endpoint health for stats, readiness and metrics (no secrets). */
  health(): EndpointHealth[];
  /** The cluster's slot time as measured from the endpoints' answers (the shortest), null until measured. */
  slotMs(): number | null;
  /** True when no endpoint can currently take a call (every circuit open). */
  allDown(): boolean;
  /** Total requests sent by this pool, by method (RPC efficiency accounting). */
  requestCounts(): Record<string, number>;
  close(): Promise<void>;
}
