/**
 * Issue 17 acceptance, Prometheus side: a live `courier start` exports the RPC histogram, the
 * signer balance, build info and the default process_/nodejs_ metrics; its /metrics passes
 * `promtool check metrics`; every metric the Grafana dashboard queries exists in it; the alert
 * rules pass `promtool check rules` and their unit tests (`promtool test rules`). promtool comes
 * from Debian's `prometheus` package (.ci/run puts it on PATH).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CourierProcess, getFreePort, killAllCourierProcesses, startCourierProcess, stopCourierProcess, waitFor } from "../e2e/courier-process.js";

const DEPLOY = resolve(import.meta.dirname, "../../deploy");
let dir: string;
let courier: CourierProcess;
let metricsText: string;

async function scrape(): Promise<string> {
  const res = await fetch(`${courier.adminUrl}/metrics`, { signal: AbortSignal.timeout(10_000) });
  return res.text();
}

/** Names of the metric families in Prometheus text (from their # TYPE lines), with their type. */
function getFamilies(text: string): Map<string, string> {
  const families = new Map<string, string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) families.set(m[1] as string, m[2] as string);
  return families;
}

/** Whether a queried series name belongs to an exported family (histogram series end in _bucket/_sum/_count). */
function isExported(name: string, families: Map<string, string>): boolean {
  if (families.has(name)) return true;
  const base = name.replace(/_(bucket|sum|count)$/, "");
  return base !== name && (families.get(base) === "histogram" || families.get(base) === "summary");
}

function promtool(args: string[], input?: string): Promise<{ code: number; out: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn("promtool", args, { cwd: join(DEPLOY, "prometheus"), stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += String(d)));
    child.stderr.on("data", (d) => (out += String(d)));
    child.on("error", (e) => resolvePromise({ code: -1, out: `promtool not runnable: ${e.message}` }));
    child.on("close", (code) => resolvePromise({ code: code ?? -1, out }));
    child.stdin.end(input ?? "");
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "courier-metrics-"));
  courier = await startCourierProcess({
    args: [],
    cwd: dir,
    env: {
      COURIER_DB: join(dir, "courier.db"),
      COURIER_LOCALNET_PORT: "0",
      COURIER_ADMIN_PORT: String(await getFreePort()),
      // The alert monitor fetches the signer balance on each round.
      COURIER_ALERT_INTERVAL_MS: "1000",
    },
  });
  // Demo ops run at once: RPC requests happen, the balance gets fetched.
  metricsText = await waitFor(
    "RPC requests and the signer balance in /metrics",
    async () => {
      const text = await scrape();
      return /^courier_rpc_request_duration_seconds_count\{/m.test(text) && /^courier_signer_balance_lamports\{/m.test(text) ? text : undefined;
    },
    90_000,
    500,
  );
}, 180_000);
afterAll(async () => {
  if (courier) await stopCourierProcess(courier).catch(() => {});
  killAllCourierProcesses();
  rmSync(dir, { recursive: true, force: true });
});

describe("Prometheus metrics, dashboard and alerts", () => {
  it("exports the RPC, balance, spend, outbox, overdue, watchdog, build and default metrics", () => {
    const families = getFamilies(metricsText);
    for (const name of [
      "courier_rpc_request_duration_seconds",
      "courier_rpc_errors_total",
      "courier_rpc_rate_limited_total",
      "courier_rpc_failovers_total",
      "courier_rpc_send_window",
      "courier_rpc_send_window_open",
      "courier_signer_balance_lamports",
      "courier_spend_lamports_total",
      "courier_webhook_outbox_pending",
      "courier_oldest_overdue_op_age_seconds",
      "courier_crank_last_iteration_timestamp_seconds",
      "courier_build_info",
      "process_cpu_seconds_total",
      "nodejs_eventloop_lag_p99_seconds",
    ]) {
      expect(families.has(name), name).toBe(true);
    }
    expect(families.get("courier_rpc_request_duration_seconds")).toBe("histogram");
    expect(families.get("courier_spend_lamports_total")).toBe("counter");
    expect(families.get("courier_rpc_send_window")).toBe("gauge");
    expect(families.get("courier_rpc_send_window_open")).toBe("gauge");
    expect(metricsText).toMatch(/^courier_build_info\{version="\d+\.\d+\.\d+[^"]*",node_version="v\d+/m);
    expect(metricsText).toMatch(/^courier_signer_balance_lamports\{signer="[1-9A-HJ-NP-Za-km-z]+"\} [1-9]\d*$/m);
    expect(metricsText).toMatch(/^courier_rpc_request_duration_seconds_count\{endpoint="http:\/\/127\.0\.0\.1:\d+\/?",method="\w+",result="ok"\} [1-9]/m);
  });

  it("passes promtool check metrics", async () => {
    const result = await promtool(["check", "metrics"], metricsText);
    expect(result.out.trim(), result.out).toBe("");
    expect(result.code).toBe(0);
  });

  it("has a Grafana dashboard whose every queried metric exists in /metrics", () => {
    const dashboard = JSON.parse(readFileSync(join(DEPLOY, "grafana/courier.json"), "utf8")) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
    const families = getFamilies(metricsText);
    const queried = new Set<string>();
    for (const panel of dashboard.panels) {
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets) {
        const names = target.expr.match(/\b(?:courier|process|nodejs)_[a-z0-9_]+\b/g) ?? [];
        expect(names.length, target.expr).toBeGreaterThan(0);
        for (const name of names) queried.add(name);
      }
    }
    const missing = [...queried].filter((name) => !isExported(name, families));
    expect(missing).toEqual([]);
    expect(queried.size).toBeGreaterThan(15);
  });

  it("has alert rules that pass promtool check rules and their unit tests", async () => {
    const check = await promtool(["check", "rules", "alerts.yml"]);
    expect(check.code, check.out).toBe(0);
    expect(check.out).toMatch(/SUCCESS: 8 rules found/);
    const rules = readFileSync(join(DEPLOY, "prometheus/alerts.yml"), "utf8");
    for (const alert of ["CourierCrankHalted", "CourierAllRpcDown", "CourierOverdueOps", "CourierDeadOps", "CourierLowBalance", "CourierWebhookBacklog", "CourierWatchdogMissed"]) {
      expect(rules).toContain(`alert: ${alert}`);
    }
    // Every metric an alert uses is exported (up is Prometheus' own).
    const families = getFamilies(metricsText);
    const used = (rules.match(/\bcourier_[a-z0-9_]+\b/g) ?? []).filter((n) => !isExported(n, families));
    expect(used).toEqual([]);
    const test = await promtool(["test", "rules", "alerts.test.yml"]);
    expect(test.code, test.out).toBe(0);
    expect(test.out).toContain("SUCCESS");
  });
});
