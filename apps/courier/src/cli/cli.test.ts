/**
 * The CLI as a user runs it: real child processes on a real SQLite file in a temp dir.
 * Each spawn costs about a second, so cases share processes where they can.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CliResult, runCli, runCliBatch, TEST_TIMEOUTS } from "@courier/testing";
import { openSqliteStore, type SqliteStore } from "@courier/sqlite";

const TO = "11111111111111111111111111111111";
let dir: string;
let env: Record<string, string>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "courier-cli-"));
  env = { COURIER_DB: join(dir, "courier.db") };
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function withTestStore<T>(fn: (store: SqliteStore) => Promise<T>): Promise<T> {
  const store = await openSqliteStore(env.COURIER_DB as string);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function expectUsageError(result: CliResult, pattern: RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe("");
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

function json(result: CliResult): Record<string, unknown> {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

describe("courier CLI", { timeout: TEST_TIMEOUTS.childProcesses }, () => {
  it("schedules an op, prints it as JSON, and honours the idempotency key", async () => {
    const args = ["schedule", "--action", "sol.transfer", "--params", JSON.stringify({ to: TO, lamports: 5000 }), "--in", "1h", "--key", "k-1"];
    const first = json(await runCli(args, env));
    expect(first).toMatchObject({ action: "sol.transfer", status: "pending", params: { to: TO, lamports: 5000 }, idempotency_key: "k-1", max_attempts: 5 });
    expect(typeof first.id).toBe("string");
    expect(Date.parse(first.next_exec as string) - Date.now()).toBeGreaterThan(55 * 60_000);

    const again = json(await runCli(args, env));
    expect(again.id).toBe(first.id);
    const stored = await withTestStore((s) => s.listOps({ limit: 10 }));
    expect(stored.ops.map((o) => o.id)).toEqual([first.id]);
  });

  it("schedules recurring ops with --every and --cron", async () => {
    const [every, cron] = await Promise.all([
      runCli(["schedule", "--action", "memo", "--params", '{"text":"tick"}', "--every", "1m", "--max-exec", "3"], env),
      runCli(["schedule", "--action", "memo", "--params", '{"text":"cron"}', "--cron", "0 9 * * 1", "--tz", "Europe/Paris"], env),
    ]);
    expect(json(every)).toMatchObject({ schedule: { kind: "every", every_ms: 60_000 }, max_exec: 3 });
    expect(json(cron)).toMatchObject({ schedule: { kind: "cron", cron: "0 9 * * 1", tz: "Europe/Paris" } });
  });

  it("refuses bad input with exit 2, one line on stderr, and nothing written", async () => {
    const memo = ["--action", "memo", "--params", '{"text":"x"}'];
    const results = await runCliBatch([
      { args: ["schedule", "--action", "no.such", "--params", "{}"], env },
      { args: ["schedule", "--action", "memo", "--params", "{not json"], env },
      { args: ["schedule", ...memo, "--in", "3 parsecs"], env },
      { args: ["schedule", ...memo, "--bogus"], env },
      { args: ["schedule", "--action", "sol.transfer", "--params", JSON.stringify({ to: TO, lamports: -1 })], env },
      { args: ["schedule", ...memo, "--every", "50ms"], env },
      { args: ["schedule", ...memo, "--at", "tomorrow"], env },
      { args: ["schedule", ...memo, "--max-exec", "0", "--every", "1m"], env },
      { args: ["ops", "list", "--status", "sleeping"], env },
      { args: ["ops", "list"], env: { ...env, COURIER_CONCURRENCY: "abc" } },
      { args: ["frobnicate"], env },
      { args: ["start", "--no-demo"], env: { ...env, COURIER_ADMIN_HOST: "0.0.0.0" } },
    ]);
    const [unknownAction, badJson, badIn, unknownFlag, badParams, tooFast, badAt, badMaxExec, badStatus, badEnv, unknownCommand, exposedAdmin] = results as CliResult[];
    expectUsageError(unknownAction as CliResult, /--action \(action\): unknown action "no\.such"/);
    expectUsageError(badJson as CliResult, /--params: not valid JSON/);
    expectUsageError(badIn as CliResult, /--in: invalid duration "3 parsecs"/);
    expectUsageError(unknownFlag as CliResult, /unknown option '--bogus'/);
    expectUsageError(badParams as CliResult, /params\.lamports/);
    expectUsageError(tooFast as CliResult, /--every \(every_ms\): must be at least 100 ms/);
    expectUsageError(badAt as CliResult, /--at \(run_at\)/);
    expectUsageError(badMaxExec as CliResult, /--max-exec \(max_exec\)/);
    expectUsageError(badStatus as CliResult, /--status/);
    expectUsageError(badEnv as CliResult, /^error: COURIER_CONCURRENCY: expected an integer between 1 and 1024, got "abc"$/);
    expectUsageError(unknownCommand as CliResult, /unknown command 'frobnicate'/);
    expectUsageError(exposedAdmin as CliResult, /^error: COURIER_ADMIN_TOKEN: required when COURIER_ADMIN_HOST \(0\.0\.0\.0\) is not a loopback address$/);
    const stored = await withTestStore((s) => s.listOps({ limit: 10 }));
    expect(stored.ops).toEqual([]);
  });

  it("lists, shows, cancels and retries ops", async () => {
    const op = json(await runCli(["schedule", "--action", "memo", "--params", '{"text":"hello"}', "--in", "1h"], env));
    const id = op.id as string;
    // A second op driven to `dead` through the store's own claim/finish verbs.
    const deadId = await withTestStore(async (store) => {
      const { op: created } = await store.createOp({
        id: "op_dead_one",
        action: "memo",
        params: { text: "doomed" },
        schedule: { kind: "once" },
        next_exec: Date.now() - 1000,
        created_at: Date.now() - 2000,
        max_exec: null,
        max_attempts: 1,
        expires_at: null,
        idempotency_key: null,
        misfire: "skip",
        missed_window_ms: null,
      });
      const claimed = await store.claimOne({ id: created.id, now: Date.now(), owner: "test", lease_ms: 30_000 });
      expect(claimed).not.toBeNull();
      const now = Date.now();
      await store.finishAttempt({
        id: created.id,
        owner: "test",
        now,
        transition: { kind: "finish", status: "dead", exec_count: 0, last_error: "boom" },
        attempt: { op_id: created.id, run: 1, attempt: 1, instance: "test", action: "memo", started_at: now - 5, ended_at: now, outcome: "retryable", error_code: "COURIER__UNKNOWN", error: "boom", signature: null, latency_ms: 5 },
      });
      return created.id;
    });

    const [list, pendingOnly, shown, missing] = await Promise.all([
      runCli(["ops", "list"], env),
      runCli(["ops", "list", "--status", "pending", "--limit", "5"], env),
      runCli(["ops", "show", deadId], env),
      runCli(["ops", "show", "op_missing"], env),
    ]);
    expect((json(list).ops as Array<{ id: string }>).map((o) => o.id).sort()).toEqual([deadId, id].sort());
    expect((json(pendingOnly).ops as Array<{ id: string }>).map((o) => o.id)).toEqual([id]);
    const detail = json(shown);
    expect(detail).toMatchObject({ id: deadId, status: "dead", last_error: "boom" });
    expect(detail.runs).toMatchObject([{ run: 1, attempts: [{ attempt: 1, outcome: "retryable", error: "boom" }] }]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);

    const [cancelled, retried] = await Promise.all([runCli(["ops", "cancel", id], env), runCli(["ops", "retry", deadId], env)]);
    expect(json(cancelled)).toMatchObject({ id, status: "cancelled" });
    expect(json(retried)).toMatchObject({ id: deadId, status: "pending", attempts: 0 });

    const [cancelAgain, retryPending] = await Promise.all([runCli(["ops", "cancel", id], env), runCli(["ops", "retry", deadId], env)]);
    expect(cancelAgain.code).toBe(1);
    expect(cancelAgain.stderr).toMatch(/already cancelled/);
    expect(retryPending.code).toBe(1);
    expect(retryPending.stderr).toMatch(/only dead or failed/);
  });

  it("pauses and resumes one op (ops pause|resume ID)", async () => {
    const op = json(await runCli(["schedule", "--action", "memo", "--params", '{"text":"tick"}', "--every", "1m"], env));
    const id = op.id as string;
    expect(json(await runCli(["ops", "pause", id], env))).toMatchObject({ id, status: "paused" });
    expect(await withTestStore((s) => s.getOp(id))).toMatchObject({ status: "paused" });
    const [resumed, resumeAgain] = [json(await runCli(["ops", "resume", id], env)), await runCli(["ops", "resume", id], env)];
    expect(resumed).toMatchObject({ id, status: "pending" });
    expect(resumeAgain.code).toBe(1);
    expect(resumeAgain.stderr.trim().split("\n")).toHaveLength(1);
    expect(resumeAgain.stderr).toMatch(/only a paused op can be resumed/);
  });

  it("refuses a past --at unless --allow-past, unknown params keys and non-integer amounts (exit 2, one line)", async () => {
    const past = new Date(Date.now() - 3_600_000).toISOString();
    const mint = "So11111111111111111111111111111111111111112";
    const [refused, allowed, unknownKey, fraction, letters] = await runCliBatch([
      { args: ["schedule", "--action", "memo", "--params", '{"text":"late"}', "--at", past], env },
      { args: ["schedule", "--action", "memo", "--params", '{"text":"late"}', "--at", past, "--allow-past"], env },
      { args: ["schedule", "--action", "sol.transfer", "--params", JSON.stringify({ to: TO, lamports: 5, lamport: 5 })], env },
      { args: ["schedule", "--action", "spl.transfer", "--params", JSON.stringify({ mint, to: TO, amount: "1.5" })], env },
      { args: ["schedule", "--action", "spl.transfer", "--params", JSON.stringify({ mint, to: TO, amount: "abc" })], env },
    ]);
    expectUsageError(refused as CliResult, /--at \(run_at\): .* in the past .*allow_past/);
    expect(json(allowed as CliResult)).toMatchObject({ status: "pending", next_exec: past });
    expectUsageError(unknownKey as CliResult, /--params \(params\.lamport\): unknown field/);
    expectUsageError(fraction as CliResult, /--params \(params\.amount\): must be an integer string/);
    expectUsageError(letters as CliResult, /--params \(params\.amount\): must be an integer string/);
    expect((await withTestStore((s) => s.listOps({ limit: 10 }))).ops).toHaveLength(1);
  });

  it("pauses and resumes through the shared store, and prints stats as JSON", async () => {
    // A leading "--" (as `pnpm courier -- pause` passes it) is not an argument.
    expect(json(await runCli(["--", "pause"], env))).toMatchObject({ state: "paused", control: { paused: true, paused_by: expect.stringMatching(/^cli@/) } });
    expect(await withTestStore((s) => s.getControl())).toMatchObject({ paused: true });
    const stats = json(await runCli(["stats"], env));
    expect(stats).toMatchObject({ state: "paused", totals: { succeeded: 0 }, ops_by_status: { pending: 0 }, rpc: [] });
    expect(stats).toHaveProperty("latency_ms");
    expect(stats).toHaveProperty("ticks");
    expect(json(await runCli(["resume"], env))).toMatchObject({ state: "running", control: { paused: false } });
    expect(await withTestStore((s) => s.getControl())).toMatchObject({ paused: false });
    // The same audit trail as the admin API's pause/resume.
    const audit = await withTestStore((s) => s.listAudit({ limit: 10 }));
    expect(audit.map((e) => e.kind)).toEqual(expect.arrayContaining(["crank.paused", "crank.resumed"]));
  });

  it("doctor prints its checks as JSON and exits 1 on a problem", async () => {
    const result = await runCli(["doctor"], {
      ...env,
      COURIER_RPC_URLS: "http://127.0.0.1:9/",
      COURIER_KEYPAIR: join(dir, "missing.json"),
      COURIER_ADMIN_TOKEN: "a-secret-token-that-must-not-show",
    });
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: Array<{ check: string; status: string }> };
    expect(report.ok).toBe(false);
    expect(report.checks).toContainEqual(expect.objectContaining({ check: "keypair", status: "fail" }));
    expect(report.checks).toContainEqual(expect.objectContaining({ check: "store", status: "ok" }));
    expect(result.stdout).not.toContain("a-secret-token-that-must-not-show");
  });

  it("config prints the effective settings from --config and the environment, secrets masked", async () => {
    const file = join(dir, "courier.json");
    writeFileSync(file, JSON.stringify({ concurrency: 7, rpcUrls: ["https://rpc.example/v2/abcdefghijklmnopqrstuvwxyz123456"] }));
    const secret = "a-secret-token-that-must-not-show";
    const shown = json(await runCli(["config", "--config", file], { ...env, COURIER_ADMIN_TOKEN: secret, COURIER_ADMIN_PORT: "9999" }));
    expect(shown).toMatchObject({ concurrency: 7, adminPort: 9999, adminToken: "[set]", db: env.COURIER_DB });
    expect(JSON.stringify(shown)).not.toContain(secret);
    expect(JSON.stringify(shown)).not.toContain("abcdefghijklmnopqrstuvwxyz123456");
  });
});
