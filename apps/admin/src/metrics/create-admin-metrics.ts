/**
 * Prometheus metrics of one Courier process, in their own registry (never prom-client's global
 * one, so two apps in one process or one test file do not collide). Counters and histograms are
 * fed by the process through the observe* hooks; gauges that describe shared state (ops by
 * status, RPC health, spend) are refreshed from their sources at scrape time.
 */
import { type Gauge, Registry } from "prom-client";
import { createMetricFactory } from "./metric-factory.js";
import { type ProcessMetrics, createProcessMetrics } from "./process-metrics.js";

export interface AttemptObservation {
  action: string;
  /** An Outcome ("ok", "retryable", …) or "missed"/"expired". */
  outcome: string;
  latency_ms: number;
}

export interface AdminMetrics extends ProcessMetrics {
  readonly registry: Registry;
  /** One finished attempt (called by the crank for every op.end). */
  observeAttempt(a: AttemptObservation): void;
  /** One finished tick. */
  observeTick(t: { duration_ms: number }): void;
  /** How late an op started after it was due. */
  observeDispatchLag(ms: number): void;
  /** Scrape-time gauges (set by the admin app from the store and the RPC pool). */
  readonly gauges: ScrapeGauges;
  /** The configured daily cap; the series exists only when there is a cap (0 would read as "nothing allowed"). */
  setSpendCapPerDay(cap: number | null): void;
}

export interface ScrapeGauges {
  opsByStatus: Gauge<"status">;
  rpcEndpointUp: Gauge<"endpoint">;
  rpcCircuitState: Gauge<"endpoint" | "state">;
  rpcLatency: Gauge<"endpoint">;
  rpcRateLimit: Gauge<"endpoint" | "method">;
  rpcSendWindow: Gauge;
  rpcSendWindowOpen: Gauge;
  spendToday: Gauge;
  crankState: Gauge<"state">;
  storeUp: Gauge;
  webhookBacklog: Gauge;
  webhookOldestPendingAge: Gauge;
  oldestOverdueOpAge: Gauge;
}

const SPEND_CAP_METRIC = "courier_spend_cap_lamports_per_day";
const LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const TICK_BUCKETS_S = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];

export function createAdminMetrics(opts: { version?: string } = {}): AdminMetrics {
  const registry = new Registry();
  const metric = createMetricFactory(registry);
  const processMetrics = createProcessMetrics(registry, { version: opts.version ?? "unknown" });

  const attempts = metric.counter("courier_attempts_total", "Op attempts finished by this process, by action and outcome", ["action", "outcome"] as const);
  const attemptLatency = metric.histogram("courier_attempt_latency_seconds", "Claim to outcome of one attempt, by action and outcome", LATENCY_BUCKETS_S, ["action", "outcome"] as const);
  const tickDuration = metric.histogram("courier_tick_duration_seconds", "Duration of one crank tick (reclaim, claim, dispatch)", TICK_BUCKETS_S);
  const dispatchLag = metric.histogram("courier_dispatch_lag_seconds", "Delay between an op's due time and the start of its attempt", [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60, 300]);

  const gauges: ScrapeGauges = {
    opsByStatus: metric.gauge("courier_ops", "Ops in the store by status", ["status"] as const),
    rpcEndpointUp: metric.gauge("courier_rpc_endpoint_up", "1 when the RPC endpoint is healthy, 0 otherwise", ["endpoint"] as const),
    rpcCircuitState: metric.gauge("courier_rpc_circuit_state", "Circuit breaker state per RPC endpoint (1 for the current state)", ["endpoint", "state"] as const),
    rpcLatency: metric.gauge("courier_rpc_latency_seconds", "Last measured latency per RPC endpoint", ["endpoint"] as const),
    rpcRateLimit: metric.gauge("courier_rpc_rate_limit_rps", "Requests per second Courier allows itself per RPC endpoint (learned in auto mode); method=\"*\" is the endpoint's total", ["endpoint", "method"] as const),
    rpcSendWindow: metric.gauge(
      "courier_rpc_send_window",
      "First sends that may await their endpoint's answer after giving their concurrency slot back (the send window; 0 while shut: every run keeps its slot until its send is answered)",
    ),
    rpcSendWindowOpen: metric.gauge("courier_rpc_send_window_open", "First sends awaiting their endpoint's answer in the send window"),
    spendToday: metric.gauge("courier_spend_lamports_today", "Lamports spent today (UTC) by all signers"),
    crankState: metric.gauge("courier_crank_state", "Crank state (1 for the current state)", ["state"] as const),
    storeUp: metric.gauge("courier_store_up", "1 when the store answered the last scrape"),
    webhookBacklog: metric.gauge("courier_webhook_outbox_pending", "Webhook events waiting for delivery in the outbox"),
    webhookOldestPendingAge: metric.gauge("courier_webhook_outbox_oldest_pending_age_seconds", "Age of the oldest webhook event waiting for delivery (0 when none)"),
    oldestOverdueOpAge: metric.gauge("courier_oldest_overdue_op_age_seconds", "How long the earliest due pending op has been waiting past its due time (0 when none is due)"),
  };

  let spendCap: Gauge | null = null;

  return {
    ...processMetrics,
    registry,
    gauges,
    setSpendCapPerDay(cap) {
      if (cap === null) {
        if (spendCap) registry.removeSingleMetric(SPEND_CAP_METRIC);
        spendCap = null;
        return;
      }
      spendCap ??= metric.gauge(SPEND_CAP_METRIC, "Daily lamport cap per signer");
      spendCap.set(cap);
    },
    observeAttempt({ action, outcome, latency_ms }) {
      attempts.inc({ action, outcome });
      if (Number.isFinite(latency_ms) && latency_ms >= 0) attemptLatency.observe({ action, outcome }, latency_ms / 1000);
    },
    observeTick({ duration_ms }) {
      if (Number.isFinite(duration_ms) && duration_ms >= 0) tickDuration.observe(duration_ms / 1000);
    },
    observeDispatchLag(ms) {
      if (Number.isFinite(ms)) dispatchLag.observe(Math.max(0, ms) / 1000);
    },
  };
}
