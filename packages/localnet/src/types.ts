/** Public types of the localnet package. */
import type { LocalnetProfileName } from "./profiles.js";
import type { RateLimitSettings } from "./rate-limit.js";

export interface LocalnetLogger {
  info(o: object, msg?: string): void;
  warn(o: object, msg?: string): void;
}

export interface LocalnetOptions {
  /** default 127.0.0.1 */
  host?: string;
  /** default 8899; 0 = a free port */
  port?: number;
  /** More endpoints on the same bank, each with its own fault settings (0 = a free port). */
  extraPorts?: number[];
  /** Slot duration, default 400 ms. */
  slotMs?: number;
  /** default 1 */
  confirmAfterSlots?: number;
  /** default 32 */
  finalizeAfterSlots?: number;
  /** Persist accounts, balances, the block clock and recent statuses across restarts. */
  statePath?: string;
  /** A named cluster shape (profiles.ts): its slot time (unless slotMs is given) and faults on every endpoint. */
  profile?: LocalnetProfileName;
  /** Fault RNG seed (deterministic tests). */
  seed?: number;
  /** WebSocket (signatureSubscribe/slotSubscribe) on port+1 of each endpoint; default true. */
  websocket?: boolean;
  /** Largest accepted HTTP body; default 51,200 bytes like a validator. */
  maxBodyBytes?: number;
  /** Landed transactions remembered for statuses/getTransaction/hasTransaction; default 500,000. */
  historyLimit?: number;
  /** "user:pass": JSON-RPC requests need this `Authorization: Basic` header (see endpoint-auth.ts). */
  auth?: string;
  /** JSON-RPC requests need this key as their path (`/KEY`) or `api-key` query value. */
  apiKey?: string;
  logger?: LocalnetLogger;
}

export interface FaultSettings {
  latency_ms?: number;
  rate_429?: number;
  rate_5xx?: number;
  drop_response_rate?: number;
  outage?: boolean;
  retry_after_s?: number;
  latency_jitter_ms?: number;
  /** Per-window request limits answered with 429 + Retry-After (see rate-limit.ts). */
  rate_limit?: RateLimitSettings;
  status_by_method?: Record<string, number>;
  /** Refuse JSON-RPC batch requests (HTTP 400, nothing executed). */
  refuse_batches?: boolean;
}

export interface Localnet {
  /** http://127.0.0.1:<port> */
  url: string;
  /** [url, ...extra endpoints] */
  urls: string[];
  /** ws URL of the primary endpoint (port+1), or null when websockets are off. */
  wsUrl: string | null;
  /** Replace the fault settings of an endpoint (same as POST /__localnet/faults). */
  setFaults(f: FaultSettings, endpointIndex?: number): void;
  getFaults(endpointIndex?: number): FaultSettings;
  /**
   * Requests received per endpoint, by JSON-RPC method (batch entries counted individually),
   * incl. refused/faulted ones. Unparseable bodies count as "<parse_error>", entries that are
   * not requests as "<invalid>", oversized bodies as "<too_large>".
   */
  requestCounts(endpointIndex?: number): Record<string, number>;
  resetRequestCounts(): void;
  /** HTTP 429 answers sent by an endpoint since it started. */
  responses429(endpointIndex?: number): number;
  blockHeight(): number;
  slot(): number;
  /** Test helper: fund an account through the faucet. */
  airdrop(pubkeyBase58: string, lamports: bigint | number): void;
  getBalance(pubkeyBase58: string): bigint;
  /** Transactions landed through sendTransaction (incl. failed-with-error; airdrops excluded). */
  transactionCount(): number;
  /** Whether a transaction with this signature landed (within the remembered history). */
  hasTransaction(signature: string): boolean;
  /** When a transaction sent through sendTransaction landed (ms since the epoch), within the remembered history. */
  landedAt(signature: string): number | undefined;
  stop(): Promise<void>;
}
