/**
 * What the admin service needs from the process that hosts it. Everything is narrow on purpose:
 * the service reads the shared store (so its answers are right with several crank processes),
 * and learns about this process only through small functions (local crank state, RPC health).
 */
import type { ActionRegistry, Clock, CrankState as CrankLoopState, IntentPolicy, OperatorConsoleStore } from "@courier/agent";
import type { AdminMetrics } from "./metrics/create-admin-metrics.js";

/** The crank's states that stats and /readyz report (the loop's own type, less its start and end). */
export type CrankState = Exclude<CrankLoopState, "starting" | "stopped">;
export const CRANK_STATES: readonly CrankState[] = ["running", "paused", "cooling_down", "halted", "stopping"];

/**
 * One RPC endpoint's health, structurally the subset of `@courier/solana`'s `EndpointHealth`
 * the admin service reads (so the admin app does not depend on the Solana package).
 */
export interface RpcEndpointHealth {
  /** The endpoint URL with secrets already stripped by the pool. */
  endpoint: string;
  healthy: boolean;
  circuit: "closed" | "open" | "half_open";
  latency_ms: number | null;
  /** Epoch ms since the endpoint has been down (null when up or unknown). */
  down_since?: number | null;
  last_error?: string | null;
  /** The request budget the pool keeps to (learned in auto mode). */
  rate_limit?: { mode: "auto" | "fixed"; rps: number; methods: Record<string, number>; blocked_until: number | null };
}

/** Extra readiness input from the process (e.g. safe mode after a failed integrity check). */
export interface ReadinessReport {
  ready: boolean;
  reasons: string[];
  recommended_action: string | null;
}

/** The few pino methods the admin service calls; a pino `Logger` satisfies it. */
export interface AdminLogger {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
}

export interface AdminDeps {
  store: OperatorConsoleStore;
  registry: ActionRegistry;
  clock: Clock;
  /** Checks a create body's `intent` (COURIER_INTENT_KEYS); without it a body with an intent is refused. */
  intents?: IntentPolicy;
  /** Bearer token for /admin/* and /metrics; null/undefined/"" disables auth (loopback only, see assertSafeBind). */
  token?: string | null;
  /** This process's COURIER_INSTANCE_ID (audit events, stats). */
  instanceId: string;
  /** Per-endpoint health of this process's RPC pool (e.g. `() => pool.health()`). */
  rpcHealth?: () => RpcEndpointHealth[];
  /**
   * The RPC pool's send window (e.g. `() => pool.sendWindow.snapshot()`): how many first sends
   * may await their answer without holding a concurrency slot, and how many do.
   */
  sendWindow?: () => { size: number; open: number };
  /** This process's crank state (e.g. cooling_down after an infra failure). */
  crankState?: () => CrankState | string;
  /** Called after an op was created or retried, to wake the local crank. */
  onScheduled?: () => void;
  /** Metrics registry the process feeds; created internally when absent. */
  metrics?: AdminMetrics;
  /** Per-signer daily lamport cap (reported in stats, null when none). */
  spendCapPerDay?: number | null;
  /** COURIER_RETENTION_DAYS (0 keeps everything), shown by stats. */
  retentionDays?: number | null;
  /** Maximum request body in bytes (default 64 KiB). */
  bodyLimitBytes?: number;
  /** Upper bound of `?ticks=` on the stats endpoint (default 500). */
  maxStatsTicks?: number;
  /** Extra readiness reasons from the process. */
  readiness?: (() => Promise<ReadinessReport> | ReadinessReport | null) | null;
  logger?: AdminLogger;
  /** The address the service listens on: accepted as a `Host` besides localhost and 127.0.0.1. */
  bindHost?: string | null;
  /** Extra `Host` names accepted (COURIER_ADMIN_ALLOWED_HOSTS). */
  allowedHosts?: readonly string[];
  /** Signature link template with `{signature}` (null: no links, e.g. the embedded localnet). */
  explorerUrl?: string | null;
  /** Dashboard session lifetime (default 8 h). */
  sessionTtlMs?: number;
}
