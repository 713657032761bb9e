/**
 * Metrics of this process beyond ops and ticks: RPC requests (duration, errors, 429s,
 * failovers), the signer's balance, spend as counters, build info and prom-client's default
 * process_* / nodejs_* metrics. All in base units (seconds, lamports).
 */
import { type Registry, collectDefaultMetrics } from "prom-client";
import { createMetricFactory } from "./metric-factory.js";

export interface RpcRequestSample {
  endpoint: string;
  method: string;
  duration_ms: number;
  result: "ok" | "rate_limited" | "error";
  kind: string | null;
}

export interface ProcessMetrics {
  observeRpcRequest(o: RpcRequestSample): void;
  observeRpcFailover(o: { method: string; from: string }): void;
  setSignerBalance(signer: string, lamports: number): void;
  /** Lamports reserved for a send (counted as spent) and given back when it never landed. */
  observeSpend(o: { signer: string; lamports: number }): void;
  observeSpendReleased(o: { signer: string; lamports: number }): void;
  /** The crank loop completed an iteration at `atMs` (the watchdog's view, for alerting). */
  observeLoopIteration(atMs: number): void;
}

const RPC_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createProcessMetrics(registry: Registry, build: { version: string }): ProcessMetrics {
  const metric = createMetricFactory(registry);
  collectDefaultMetrics({ register: registry });
  // prom-client names these gauges *_total, which Prometheus reserves for counters (promtool
  // check metrics flags them); the per-type nodejs_active_* gauges carry the same numbers.
  for (const name of ["nodejs_active_handles_total", "nodejs_active_requests_total", "nodejs_active_resources_total"]) registry.removeSingleMetric(name);
  metric.gauge("courier_build_info", "Always 1; the labels say which Courier and Node run", ["version", "node_version"] as const).set({ version: build.version, node_version: process.version }, 1);
  const rpcDuration = metric.histogram("courier_rpc_request_duration_seconds", "Duration of one JSON-RPC request to one endpoint, by endpoint, method and result", RPC_BUCKETS_S, ["endpoint", "method", "result"] as const);
  const rpcErrors = metric.counter("courier_rpc_errors_total", "JSON-RPC requests that failed, by endpoint and failure kind (429s included as rate_limited)", ["endpoint", "kind"] as const);
  const rpcRateLimited = metric.counter("courier_rpc_rate_limited_total", "JSON-RPC requests answered with HTTP 429, by endpoint", ["endpoint"] as const);
  const rpcFailovers = metric.counter("courier_rpc_failovers_total", "Calls that moved on to another endpoint after a request failed, by method and the endpoint left", ["method", "from"] as const);
  const balance = metric.gauge("courier_signer_balance_lamports", "Last fetched balance of the signer", ["signer"] as const);
  const spend = metric.counter("courier_spend_lamports_total", "Lamports reserved for sends by this process (spend accounting), by signer", ["signer"] as const);
  const released = metric.counter("courier_spend_released_lamports_total", "Lamports of reservations given back because their transaction never landed, by signer", ["signer"] as const);
  const lastIteration = metric.gauge("courier_crank_last_iteration_timestamp_seconds", "When the crank loop last completed an iteration (a tick or an idle sleep), Unix seconds");
  return {
    observeLoopIteration(atMs) {
      lastIteration.set(atMs / 1000);
    },
    observeRpcRequest(o) {
      if (Number.isFinite(o.duration_ms) && o.duration_ms >= 0) rpcDuration.observe({ endpoint: o.endpoint, method: o.method, result: o.result }, o.duration_ms / 1000);
      if (o.result !== "ok") rpcErrors.inc({ endpoint: o.endpoint, kind: o.kind ?? o.result });
      if (o.result === "rate_limited") rpcRateLimited.inc({ endpoint: o.endpoint });
    },
    observeRpcFailover(o) {
      rpcFailovers.inc({ method: o.method, from: o.from });
    },
    setSignerBalance(signer, lamports) {
      if (Number.isFinite(lamports)) balance.set({ signer }, lamports);
    },
    observeSpend({ signer, lamports }) {
      if (Number.isFinite(lamports) && lamports > 0) spend.inc({ signer }, lamports);
    },
    observeSpendReleased({ signer, lamports }) {
      if (Number.isFinite(lamports) && lamports > 0) released.inc({ signer }, lamports);
    },
  };
}
