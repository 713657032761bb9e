import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { TEST_TIMEOUTS } from "@courier/testing";
import { systemClock } from "../src/clock.js";
import { createTestStore, scheduleTestOp, type TestStore, withTimeout } from "./helpers.js";

const REPO = resolve(import.meta.dirname, "../../..");
const CHILD = "packages/agent/test/fixtures/crank-child.ts";
const OPS = 2_000;

let ts: TestStore | undefined;
let children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  children = [];
  await ts?.cleanup();
  ts = undefined;
});

interface Child {
  proc: ChildProcess;
  stdout: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function spawnChild(args: Record<string, unknown>): Child {
  const proc = spawn(process.execPath, ["--import", "tsx", CHILD, JSON.stringify(args)], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
  children.push(proc);
  const stdout: string[] = [];
  let buf = "";
  proc.stdout?.on("data", (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split("\n");
    buf = parts.pop() ?? "";
    stdout.push(...parts);
  });
  proc.stderr?.on("data", (d: Buffer) => process.stderr.write(`[${String(args.instance)}] ${d}`));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => proc.on("exit", (code, signal) => r({ code, signal })));
  return { proc, stdout, exited };
}

async function setUp(): Promise<{ db: string; records: string; ids: string[] }> {
  ts = await createTestStore("courier-cas-");
  const ids: string[] = [];
  for (let i = 0; i < OPS; i++) ids.push((await scheduleTestOp(ts.store, systemClock)).id);
  const records = join(ts.dir, "records.db");
  const rdb = new Database(records);
  rdb.pragma("journal_mode = WAL");
  rdb.exec("CREATE TABLE executions (op_id TEXT NOT NULL, run INTEGER NOT NULL, instance TEXT NOT NULL, at INTEGER NOT NULL)");
  rdb.close();
  return { db: ts.path, records, ids };
}

function readRecords(records: string): Array<{ op_id: string; run: number; n: number }> {
  const rdb = new Database(records, { readonly: true });
  try {
    return rdb.prepare<[], { op_id: string; run: number; n: number }>("SELECT op_id, run, count(*) AS n FROM executions GROUP BY op_id, run").all();
  } finally {
    rdb.close();
  }
}

async function expectExactlyOnce(records: string, ids: string[]): Promise<void> {
  const rows = readRecords(records);
  expect(rows.filter((r) => r.n !== 1)).toEqual([]);
  expect(rows).toHaveLength(ids.length);
  const seen = new Set(rows.map((r) => `${r.op_id}:${r.run}`));
  expect(ids.filter((id) => !seen.has(`${id}:1`))).toEqual([]);
  const store = ts?.store;
  if (!store) throw new Error("no store");
  for (const status of ["pending", "running", "failed", "dead"] as const) {
    expect((await store.listOps({ status, limit: 5 })).ops.map((o) => o.id)).toEqual([]);
  }
  expect((await store.stats({ ticks: 1, now: Date.now() })).ops_by_status.succeeded).toBe(ids.length);
}

function parseCounts(c: Child): Record<string, number> {
  const line = c.stdout.find((l) => l.startsWith("{"));
  return line ? (JSON.parse(line) as Record<string, number>) : {};
}

describe("CAS claim across processes", { timeout: TEST_TIMEOUTS.childProcesses }, () => {
  it("3 processes over 2,000 due ops: each op run executed exactly once, none lost", async () => {
    const { db, records, ids } = await setUp();
    // All three start claiming together: on a loaded machine one child may boot seconds after
    // the others, which would have run every op by then.
    const goFile = join(ts?.dir ?? "", "go");
    const kids = ["p1", "p2", "p3"].map((instance) => spawnChild({ db, records, instance, leaseMs: 30_000, concurrency: 16, deadlineMs: 90_000, goFile }));
    await withTimeout(
      new Promise<void>((r) => {
        const check = setInterval(() => {
          if (kids.every((k) => k.stdout.includes("READY"))) {
            clearInterval(check);
            r();
          }
        }, 10);
      }),
      60_000,
      "the child cranks to open the store",
    );
    writeFileSync(goFile, "");
    const exits = await withTimeout(Promise.all(kids.map((k) => k.exited)), 100_000, "the child cranks to finish");
    expect(exits.map((e) => e.code)).toEqual([0, 0, 0]);
    await expectExactlyOnce(records, ids);
    const counts = kids.map(parseCounts);
    expect(counts.reduce((n, c) => n + (c.executed ?? 0), 0)).toBe(OPS);
    // Every process took part: the claim is shared, not won by one.
    for (const c of counts) expect(c.executed).toBeGreaterThan(0);
  });

  it("a process SIGKILLed with runs in flight: its leases are reclaimed after expiry and every run still happens exactly once", async () => {
    const { db, records, ids } = await setUp();
    const leaseMs = 2_500;
    const victim = spawnChild({ db, records, instance: "victim", leaseMs, concurrency: 16, deadlineMs: 90_000, hangAfter: 150 });
    const others = ["p2", "p3"].map((instance) => spawnChild({ db, records, instance, leaseMs, concurrency: 16, deadlineMs: 90_000 }));
    await withTimeout(
      new Promise<void>((r) => {
        const check = setInterval(() => {
          // Executions after `hangAfter` alternate: hung before the effect, hung after it.
          if (victim.stdout.filter((l) => l === "HANGING").length >= 4) {
            clearInterval(check);
            r();
          }
        }, 10);
      }),
      60_000,
      "the victim to hang mid-run",
    );
    victim.proc.kill("SIGKILL");
    expect((await victim.exited).signal).toBe("SIGKILL");
    const exits = await withTimeout(Promise.all(others.map((k) => k.exited)), 100_000, "the surviving cranks to finish");
    expect(exits.map((e) => e.code)).toEqual([0, 0]);
    await expectExactlyOnce(records, ids);
    const counts = others.map(parseCounts);
    const sum = (k: string) => counts.reduce((n, c) => n + (c[k] ?? 0), 0);
    // The survivors resumed the victim's runs: those whose effect happened were not executed
    // again (found through the ledger), the others were.
    expect(sum("reclaimed")).toBeGreaterThan(0);
    expect(sum("resumed_done")).toBeGreaterThan(0);
    expect(sum("resumed_redo")).toBeGreaterThan(0);
  });
});
