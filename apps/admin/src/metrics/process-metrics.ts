/**
 * Metrics of this process beyond ops and ticks: RPC requests (duration, errors, 429s,
 * failovers), the signer's balance, spend as counters, build info and prom-client's default
 * process_* / nodejs_* metrics. All in base units (seconds, lamports).
 */
import { Counter, Gauge, Histogram, type Registry, collectDefaultMetrics } from "prom-client";

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
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  // prom-client names these gauges *_total, which Prometheus reserves for counters (promtool
  // check metrics flags them); the per-type nodejs_active_* gauges carry the same numbers.
  for (const name of ["nodejs_active_handles_total", "nodejs_active_requests_total", "nodejs_active_resources_total"]) registry.removeSingleMetric(name);
  new Gauge({
    name: "courier_build_info",
    help: "Always 1; the labels say which Courier and Node run",
    labelNames: ["version", "node_version"] as const,
    registers,
  }).set({ version: build.version, node_version: process.version }, 1);
  const rpcDuration = new Histogram({
    name: "courier_rpc_request_duration_seconds",
    help: "Duration of one JSON-RPC request to one endpoint, by endpoint, method and result",
    labelNames: ["endpoint", "method", "result"] as const,
    buckets: RPC_BUCKETS_S,
    registers,
  });
  const rpcErrors = new Counter({
    name: "courier_rpc_errors_total",
    help: "JSON-RPC requests that failed, by endpoint and failure kind (429s included as rate_limited)",
    labelNames: ["endpoint", "kind"] as const,
    registers,
  });
  const rpcRateLimited = new Counter({
    name: "courier_rpc_rate_limited_total",
    help: "JSON-RPC requests answered with HTTP 429, by endpoint",
    labelNames: ["endpoint"] as const,
    registers,
  });
  const rpcFailovers = new Counter({
    name: "courier_rpc_failovers_total",
    help: "Calls that moved on to another endpoint after a request failed, by method and the endpoint left",
    labelNames: ["method", "from"] as const,
    registers,
  });
  const balance = new Gauge({ name: "courier_signer_balance_lamports", help: "Last fetched balance of the signer", labelNames: ["signer"] as const, registers });
  const spend = new Counter({
    name: "courier_spend_lamports_total",
    help: "Lamports reserved for sends by this process (spend accounting), by signer",
    labelNames: ["signer"] as const,
    registers,
  });
  const released = new Counter({
    name: "courier_spend_released_lamports_total",
    help: "Lamports of reservations given back because their transaction never landed, by signer",
    labelNames: ["signer"] as const,
    registers,
  });
  const lastIteration = new Gauge({
    name: "courier_crank_last_iteration_timestamp_seconds",
    help: "When the crank loop last completed an iteration (a tick or an idle sleep), Unix seconds",
    registers,
  });
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
