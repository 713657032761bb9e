/**
 * Every simulation scenario in smoke size, against a real localnet: payroll, drip, cron and
 * outage with an in-process crank, crash and multi with real `courier start` processes. Each
 * report must show every scheduled run succeeded exactly once on chain, with lag and RPC figures.
 * Plus: the verification really catches a duplicate and a lost op, the remote-cluster path
 * (a localnet named by --rpc), the faucet refusal message, and the CLI's exit codes.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { TEST_TIMEOUTS } from "@courier/testing";
import { killStartedCrankProcesses } from "./crank-process.js";
import { runSimulation } from "./run-simulation.js";
import { SCENARIOS } from "./scenarios/index.js";
import { parseSimArgs, type ScenarioName, type SimArgs } from "./sim-args.js";
import { startRpcCountingProxy } from "./rpc-counting-proxy.js";
import { ensureRemoteFunds } from "./sim-cluster.js";
import type { SimReport } from "./sim-report.js";
import { createSimWorld } from "./sim-world.js";
import { verifyRuns } from "./verify-runs.js";
import { CourierError, createRpcPool, generateKeypairFile, isCourierError, startLocalnet } from "./workspace.js";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const quiet = () => {};

afterAll(() => killStartedCrankProcesses());

function smokeArgs(scenario: ScenarioName, extra: Partial<SimArgs> = {}): Omit<SimArgs, "json"> {
  return { ...parseSimArgs([scenario, "--smoke"]), ...extra };
}

function expectCleanReport(report: SimReport, scheduled: number): void {
  expect(report.problems).toEqual([]);
  expect(report.scheduled).toBe(scheduled);
  expect(report.succeeded).toBe(scheduled);
  expect(report.failed).toBe(0);
  expect(report.lost).toBe(0);
  expect(report.duplicates).toBe(0);
  expect(report.missing_on_chain).toBe(0);
  expect(report.duplicate_check.recipients_checked).toBe(report.ops);
  expect(report.duplicate_check.landed_signatures).toBe(scheduled);
  expect(report.lag_ms.count).toBe(scheduled);
  expect(report.lag_ms.p50).toEqual(expect.any(Number));
  expect(report.lag_ms.p99).toEqual(expect.any(Number));
  expect(report.lag_ms.p99 as number).toBeGreaterThanOrEqual(report.lag_ms.p50 as number);
  expect(report.rpc.requests).toBeGreaterThan(0);
  expect(report.rpc.per_op).toBeGreaterThan(0);
  expect(report.rpc.by_method.sendTransaction).toBeGreaterThanOrEqual(scheduled);
  expect(report.ok).toBe(true);
}

describe("sim scenarios (smoke size, embedded localnet)", () => {
  for (const name of ["payroll", "drip", "cron", "outage"] as const) {
    it(`${name}: every run succeeds exactly once`, async () => {
      const { report, keptDir } = await runSimulation(smokeArgs(name), quiet);
      expectCleanReport(report, SCENARIOS[name].countRuns({ smoke: true, fast: true }));
      expect(report.rpc.source).toBe("localnet");
      expect(keptDir).toBeNull();
      if (name === "drip" || name === "cron") expect(report.ops).toBe(1);
      if (name === "outage") {
        // Infrastructure failures pause work; they never burn an op's retry budget.
        expect(report.outcomes.retryable ?? 0).toBe(0);
        expect(report.details.requests_in_outage).toEqual(expect.any(Number));
      }
    });
  }

  it("crash: a SIGKILLed courier process and its replacement deliver each transfer once", { timeout: TEST_TIMEOUTS.chaos }, async () => {
    const { report } = await runSimulation(smokeArgs("crash"), quiet);
    expectCleanReport(report, SCENARIOS.crash.countRuns({ smoke: true, fast: true }));
    expect(report.details.killed).toMatch(/^crank-1 holding \d+ op\(s\)/);
    expect(report.details.crank_2_exit).toBe(0);
    expect(Object.keys(report.by_instance).every((i) => i === "crank-1" || i === "crank-2")).toBe(true);
  });

  it("multi: three courier processes on one store deliver each transfer once", { timeout: TEST_TIMEOUTS.chaos }, async () => {
    const { report } = await runSimulation(smokeArgs("multi"), quiet);
    expectCleanReport(report, SCENARIOS.multi.countRuns({ smoke: true, fast: true }));
    expect(report.details.exits).toBe("0, 0, 0");
    expect(Object.keys(report.by_instance).every((i) => /^crank-[123]$/.test(i))).toBe(true);
  });
});

describe("sim verification", () => {
  it("counts a second payment to a recipient as a duplicate and an unexecuted op as lost", async () => {
    const world = await createSimWorld({ rpc: null, keypair: null, slotMs: 50, progress: quiet });
    try {
      await world.cluster.ensureFunds(1_000_000_000);
      const outcome = await SCENARIOS.payroll.run({ world, smoke: true, fast: true });
      const clean = await verifyRuns(world.store, world.cluster, world.planned);
      expect(clean.problems).toEqual([]);
      expect(clean.duplicates).toBe(0);
      expect(outcome.requests?.byMethod.sendTransaction).toBeGreaterThan(0);

      // The chain shows a recipient paid twice (as a re-signed transfer would).
      const paidTwice = world.planned[0];
      world.cluster.localnet?.airdrop(paidTwice?.to as string, paidTwice?.lamports as number);
      // And an op no crank ever ran.
      await world.scheduleTransfer({ lamports: 1_000_000, schedule: { delay_ms: 3_600_000 } });
      const dirty = await verifyRuns(world.store, world.cluster, world.planned);
      expect(dirty.duplicates).toBe(1);
      expect(dirty.lost).toBe(1);
      expect(dirty.succeeded).toBe(clean.succeeded);
      expect(dirty.problems.join("\n")).toContain(`recipient ${paidTwice?.to} holds`);
    } finally {
      await world.close({ keepDir: false });
    }
  });
});

describe("sim against a cluster named by --rpc", () => {
  it("funds the signer by airdrop, runs payroll, verifies through RPC and counts the pool's requests", async () => {
    const dir = await mkdtemp(join(tmpdir(), "courier-sim-test-"));
    const localnet = await startLocalnet({ port: 0, slotMs: 50, websocket: false });
    try {
      const keypair = join(dir, "payer.json");
      const signer = await generateKeypairFile(keypair);
      const { report } = await runSimulation(smokeArgs("payroll", { rpc: localnet.url, keypair }), quiet);
      expectCleanReport(report, 5);
      expect(report.cluster.kind).toBe("remote");
      expect(report.rpc.source).toBe("pool");
      expect(localnet.getBalance(signer.publicKey.toBase58())).toBeGreaterThan(0n);
    } finally {
      await localnet.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("says in one line whom to fund when the faucet refuses", async () => {
    const dir = await mkdtemp(join(tmpdir(), "courier-sim-test-"));
    const localnet = await startLocalnet({ port: 0, slotMs: 50, websocket: false });
    const pool = createRpcPool({ urls: [localnet.url], healthIntervalMs: 0 });
    try {
      const signer = await generateKeypairFile(join(dir, "payer.json"));
      // The localnet's faucet never refuses; devnet's does, with this answer.
      const refusing = {
        ...pool,
        call: <T>(method: string, params: unknown[]): Promise<T> =>
          method === "requestAirdrop"
            ? Promise.reject(new CourierError("COURIER__RPC__RATE_LIMITED", "429 Too Many Requests: You've either reached your airdrop limit today or the airdrop faucet has run dry.\n(more)"))
            : pool.call<T>(method, params),
      };
      const err = await ensureRemoteFunds(refusing, signer, "devnet-like", 60_000_000).catch((e: unknown) => e);
      expect(isCourierError(err, "COURIER__OP__INSUFFICIENT_FUNDS")).toBe(true);
      const message = (err as Error).message;
      expect(message).not.toContain("\n");
      expect(message).toContain(signer.publicKey.toBase58());
      expect(message).toContain("airdrop limit");
      expect(message).toMatch(/send at least 0\.06 SOL/);
    } finally {
      await pool.close();
      await localnet.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the counting proxy in front of a remote cluster", () => {
  it("counts each JSON-RPC request by method and passes the cluster's answers through, 429s included", async () => {
    const localnet = await startLocalnet({ port: 0, slotMs: 50, websocket: false });
    const proxy = await startRpcCountingProxy(localnet.url);
    try {
      const post = (body: unknown) => fetch(proxy.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const one = await post({ jsonrpc: "2.0", id: "1", method: "getSlot", params: [] });
      expect(one.status).toBe(200);
      expect(((await one.json()) as { result: number }).result).toEqual(expect.any(Number));
      const batch = await post([
        { jsonrpc: "2.0", id: "2", method: "getSlot", params: [] },
        { jsonrpc: "2.0", id: "3", method: "getBlockHeight", params: [] },
      ]);
      expect(((await batch.json()) as unknown[]).length).toBe(2);
      localnet.setFaults({ rate_429: 1, retry_after_s: 7 });
      const limited = await post({ jsonrpc: "2.0", id: "4", method: "getSlot", params: [] });
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toBe("7");
      expect(proxy.counts()).toEqual({ getSlot: 3, getBlockHeight: 1 });
      expect(localnet.requestCounts()).toEqual(proxy.counts());
    } finally {
      await proxy.close();
      await localnet.stop();
    }
  });
});

describe("pnpm sim (the CLI)", { timeout: TEST_TIMEOUTS.childProcesses }, () => {
  function runSim(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        ["--import", "tsx", "scripts/sim/run.ts", ...args],
        { cwd: REPO_ROOT, timeout: 90_000, killSignal: "SIGKILL" },
        (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr }),
      );
    });
  }

  it("prints the JSON report and exits 0; refuses bad usage with exit 2 and an unreachable cluster with exit 1, one line each", async () => {
    const dir = await mkdtemp(join(tmpdir(), "courier-sim-test-"));
    const keypair = join(dir, "payer.json");
    await generateKeypairFile(keypair);
    const [ok, outageRemote, unreachable] = await Promise.all([
      runSim(["payroll", "--smoke", "--json"]),
      runSim(["outage", "--rpc", "https://api.devnet.solana.com", "--keypair", keypair]),
      // Port 9 (discard) on loopback: nothing listens there.
      runSim(["payroll", "--smoke", "--rpc", "http://127.0.0.1:9", "--keypair", keypair]),
    ]).finally(() => rm(dir, { recursive: true, force: true }));
    expect(ok.code, ok.stderr).toBe(0);
    const report = JSON.parse(ok.stdout) as SimReport;
    expect(report.scenario).toBe("payroll");
    expect(report.succeeded).toBe(report.scheduled);
    expect(report.duplicates).toBe(0);

    expect(outageRemote.code).toBe(2);
    expect(outageRemote.stderr).toMatch(/^sim: outage switches the embedded localnet's fault endpoint.*run it without --rpc\n$/);

    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^sim: cannot reach http:\/\/127\.0\.0\.1:9/m);
    expect(unreachable.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("parseSimArgs", () => {
  it("takes one scenario and pairs --rpc with --keypair", () => {
    expect(parseSimArgs(["cron", "--fast"])).toMatchObject({ scenario: "cron", fast: true, smoke: false, rpc: null, slotMs: 400 });
    expect(parseSimArgs(["drip", "--smoke", "--json"])).toMatchObject({ smoke: true, fast: true, json: true, slotMs: 100 });
    expect(parseSimArgs(["multi", "--rpc", "https://api.devnet.solana.com", "--keypair", "k.json"])).toMatchObject({ rpc: "https://api.devnet.solana.com", keypair: "k.json" });
    expect(() => parseSimArgs(["paycheck"])).toThrow(/unknown scenario "paycheck"/);
    for (const bad of [[], ["payroll", "drip"], ["payroll", "--rpc", "https://x.example"], ["payroll", "--keypair", "k.json"], ["payroll", "--slot-ms", "2"], ["payroll", "--bogus"]]) {
      expect(() => parseSimArgs(bad), bad.join(" ")).toThrow(/usage: pnpm sim/);
    }
  });
});
