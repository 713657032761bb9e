import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { ManualClock, systemClock } from "../clock.js";
import { makeAttempt, makeNewOp, waitFor } from "@courier/testing";
import type { OutboxItem } from "../types.js";
import { alertEventId } from "../webhooks/events.js";
import { getRunFailedAlertKey, raiseRunFailedAlert } from "../crank/run-failed-alert.js";
import { ALERT_KEYS, type AlertCheck, createDeadOpsCheck, createHaltedCheck, createOverdueCheck, createRpcDownCheck, createSignerBalanceCheck, createSpendCapCheck } from "./checks.js";
import { type AlertMonitor, createAlertMonitor } from "./create-alert-monitor.js";
import { getDeadOpLister, getOverdueCounter, getSpendCapHitCounter } from "./store-inputs.js";
import { openSqliteStore, type SqliteStore } from "@courier/sqlite";

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const root = mkdtempSync(join(tmpdir(), "courier-alerts-"));
let n = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function openStore(path = join(root, `t${++n}`, "courier.db")): Promise<SqliteStore> {
  const store = await openSqliteStore(path);
  cleanups.push(() => store.close());
  return store;
}

function captureLogger() {
  const lines: Array<Record<string, unknown>> = [];
  return { logger: pino({ level: "info" }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) }), lines };
}

function monitor(store: SqliteStore, clock: ManualClock | typeof systemClock, checks: AlertCheck[], intervalMs = 1_000, logger = captureLogger().logger): AlertMonitor {
  const m = createAlertMonitor({ store, clock, logger, checks, intervalMs });
  cleanups.push(() => m.stop());
  return m;
}

/** Every outbox event so far (claimed far in the future, so nothing is left out). */
async function outboxEvents(store: SqliteStore): Promise<OutboxItem[]> {
  return store.claimOutbox({ now: Number.MAX_SAFE_INTEGER - 1e9, limit: 1000, owner: `reader-${++n}`, lease_ms: 1 });
}


/**
 * A recurring op on `store` and one run of it, claimed and finished at the clock's now: ok, or
 * failed with the schedule going on (as the crank does it, alert included).
 */
async function recurringOp(store: SqliteStore, clock: ManualClock) {
  const { logger } = captureLogger();
  const { op: created } = await store.createOp(makeNewOp({ schedule: { kind: "every", every_ms: 1_000, anchor: clock.now() }, next_exec: clock.now(), max_attempts: 1 }));
  const run = async (ok: boolean) => {
    await store.claimOne({ id: created.id, now: clock.now(), owner: "crank", lease_ms: 30_000 });
    const current = (await store.getOp(created.id)) ?? expect.unreachable("the op exists");
    const transition = {
      kind: "reschedule",
      next_exec: clock.now() + 1_000,
      due_at: clock.now() + 1_000,
      run: current.run + 1,
      exec_count: current.exec_count + (ok ? 1 : 0),
      attempts: 0,
      last_error: ok ? null : "boom",
    } as const;
    const attempt = makeAttempt({ op_id: created.id, run: current.run, instance: "crank", outcome: ok ? "ok" : "permanent" });
    await store.finishAttempt({ id: created.id, owner: "crank", now: clock.now(), transition, attempt });
    if (!ok) await raiseRunFailedAlert({ store, logger, op: current, run: current.run, error: "boom", now: clock.now() });
    clock.advance(1_000);
  };
  return { created, run };
}

describe("alert monitor", () => {
  it("one incident → one firing and one resolved event, with two monitors (two connections) looping on one store", async () => {
    const path = join(root, `t${++n}`, "courier.db");
    const a = await openStore(path);
    const b = await openStore(path);
    let rounds = 0;
    const getControl = (s: SqliteStore) => () => {
      rounds++;
      return s.getControl();
    };
    const monitors = [a, b].map((s) => monitor(s, systemClock, [createHaltedCheck({ getControl: getControl(s) })], 2));
    /** Both monitors evaluate `n` more times (each round reads the control row once). */
    const moreRounds = (n: number) => {
      const target = rounds + n;
      return waitFor(`${n} more monitor rounds`, () => rounds >= target);
    };
    for (const m of monitors) m.start();
    const alertState = async () => (await a.getAlerts()).find((x) => x.key === ALERT_KEYS.halted)?.state;

    await moreRounds(6); // both loop on a healthy crank: nothing to say
    expect(await a.outboxSummary()).toMatchObject({ pending: 0 });
    const halted = await a.setHalted({ halted: true, reason: "restart budget spent", now: Date.now() });
    await waitFor("(await alertState()) === 'firing'", async () => (await alertState()) === "firing", { timeoutMs: 5_000 });
    await moreRounds(10); // many more rounds of both monitors while it stays halted
    await b.setHalted({ halted: false, reason: null, now: Date.now() });
    await waitFor("(await alertState()) === 'resolved'", async () => (await alertState()) === "resolved", { timeoutMs: 5_000 });
    await moreRounds(10);
    for (const m of monitors) await m.stop();

    const events = await outboxEvents(a);
    expect(events.map((e) => e.type)).toEqual(["alert.firing", "alert.resolved"]);
    const [firing, resolved] = events as [OutboxItem, OutboxItem];
    const since = Date.parse(String(firing.payload.since));
    expect(firing.event_id).toBe(alertEventId(ALERT_KEYS.halted, since, "firing"));
    expect(resolved.event_id).toBe(alertEventId(ALERT_KEYS.halted, since, "resolved"));
    expect(firing.payload).toMatchObject({ key: "crank_halted", state: "firing", summary: "crank halted: restart budget spent" });
    expect(firing.payload.data).toEqual({ reason: "restart budget spent", halted_at: halted.halted_at });
    expect(resolved.payload).toMatchObject({ key: "crank_halted", state: "resolved", since: firing.payload.since });
    expect(resolved.payload.duration_ms).toBeGreaterThanOrEqual(0);
  });

  it("two monitors evaluating at the same instants: each transition is made by exactly one", async () => {
    const clock = new ManualClock(T0);
    const path = join(root, `t${++n}`, "courier.db");
    const a = await openStore(path);
    const b = await openStore(path);
    let lamports = 10_000;
    const check = () => createSignerBalanceCheck({ getBalanceLamports: async () => lamports, thresholdLamports: 5_000, signer: "Sig1" });
    const ma = monitor(a, clock, [check()]);
    const mb = monitor(b, clock, [check()]);
    const round = async () => (await Promise.all([ma.evaluate(), mb.evaluate()])).flat();
    expect(await round()).toEqual([]);
    lamports = 4_999;
    clock.advance(1_000);
    const fired = [...(await round()), ...(await round())];
    expect(fired).toEqual([{ key: "signer_balance_low", state: "firing", event_id: alertEventId("signer_balance_low", T0 + 1_000, "firing") }]);
    lamports = 5_000;
    clock.advance(1_000);
    const resolved = [...(await round()), ...(await round())];
    expect(resolved).toEqual([{ key: "signer_balance_low", state: "resolved", event_id: alertEventId("signer_balance_low", T0 + 1_000, "resolved") }]);
    const events = await outboxEvents(a);
    expect(events.map((e) => e.type)).toEqual(["alert.firing", "alert.resolved"]);
    expect(events[0]?.payload.data).toEqual({ signer: "Sig1", lamports: 4_999, threshold_lamports: 5_000 });
    expect(events[1]?.payload).toMatchObject({ duration_ms: 1_000 });
  });

  it("all RPC endpoints down: fires only after the threshold, resolves when one is back", async () => {
    const clock = new ManualClock(T0);
    const store = await openStore();
    let status = { allDown: false, since: null as number | null };
    const m = monitor(store, clock, [createRpcDownCheck({ getRpcStatus: () => status, thresholdMs: 30_000 })]);
    status = { allDown: true, since: T0 };
    clock.advance(29_999);
    expect(await m.evaluate()).toEqual([]);
    clock.advance(1);
    expect((await m.evaluate()).map((t) => t.state)).toEqual(["firing"]);
    expect(await m.evaluate()).toEqual([]);
    status = { allDown: false, since: null };
    expect((await m.evaluate()).map((t) => t.state)).toEqual(["resolved"]);
    expect((await outboxEvents(store)).map((e) => [e.type, e.payload.key])).toEqual([
      ["alert.firing", "rpc_all_down"],
      ["alert.resolved", "rpc_all_down"],
    ]);
  });

  it("dead ops: one incident while any op is dead, resolved once they are retried", async () => {
    const clock = new ManualClock(T0);
    const store = await openStore();
    const m = monitor(store, clock, [createDeadOpsCheck({ listDeadOpIds: getDeadOpLister(store) })]);
    const kill = async () => {
      const { op } = await store.createOp(makeNewOp({ next_exec: clock.now() }));
      await store.claimOne({ id: op.id, now: clock.now(), owner: "crank", lease_ms: 30_000 });
      const transition = { kind: "finish", status: "dead", exec_count: 0, last_error: "boom" } as const;
      await store.finishAttempt({ id: op.id, owner: "crank", now: clock.now(), transition, attempt: makeAttempt({ op_id: op.id, instance: "crank", outcome: "retryable" }) });
      return op.id;
    };
    expect(await m.evaluate()).toEqual([]);
    const first = await kill();
    expect((await m.evaluate()).map((t) => t.state)).toEqual(["firing"]);
    const second = await kill(); // same incident: no second notification
    clock.advance(1_000);
    expect(await m.evaluate()).toEqual([]);
    await store.retryOp({ id: first, now: clock.now() });
    expect(await m.evaluate()).toEqual([]);
    await store.retryOp({ id: second, now: clock.now() });
    expect((await m.evaluate()).map((t) => t.state)).toEqual(["resolved"]);
    const [firing] = await outboxEvents(store);
    expect(firing?.payload.data).toEqual({ count: "1", op_ids: [first] });
  });

  it("a recurring op's run-failed alert resolves after a later run succeeds, fires again on the next failure, and resolves when the op ends", async () => {
    const clock = new ManualClock(T0);
    const store = await openStore();
    const log = captureLogger();
    const m = monitor(store, clock, [], 1_000, log.logger);
    const { created, run } = await recurringOp(store, clock);
    const key = getRunFailedAlertKey(created.id);
    const state = async () => (await store.getAlerts()).find((a) => a.key === key)?.state;

    await run(true);
    await run(false);
    expect(await state()).toBe("firing");
    expect(await m.evaluate()).toEqual([]); // the latest run failed: still an incident
    await run(false);
    expect(await m.evaluate()).toEqual([]);
    await run(true);
    const resolved = await m.evaluate();
    expect(resolved.map((t) => [t.key, t.state])).toEqual([[key, "resolved"]]);
    expect(await m.evaluate()).toEqual([]);
    await run(false); // a new incident
    expect(await state()).toBe("firing");
    expect(await m.evaluate()).toEqual([]);
    await store.cancelOp({ id: created.id, now: clock.now() });
    expect((await m.evaluate()).map((t) => t.state)).toEqual(["resolved"]);

    const events = (await outboxEvents(store)).map((e) => [e.type, (e.payload as { summary?: string }).summary]);
    expect(events).toEqual([
      ["alert.firing", `recurring op ${created.id} (test.noop): run 2 failed, the schedule goes on`],
      ["alert.resolved", `recurring op ${created.id}: a later run succeeded`],
      ["alert.firing", `recurring op ${created.id} (test.noop): run 5 failed, the schedule goes on`],
      ["alert.resolved", `recurring op ${created.id}: the op ended cancelled`],
    ]);
    // One log line per resolution, named by its event (architecture.md: the event name is `msg`).
    expect(log.lines.filter((l) => l.msg === "alert.resolved").map((l) => [l.key, l.summary])).toEqual([
      [key, `recurring op ${created.id}: a later run succeeded`],
      [key, `recurring op ${created.id}: the op ended cancelled`],
    ]);
  });

  it("a run that fails between the monitor's read of the op and its resolution keeps the alert firing", async () => {
    const clock = new ManualClock(T0);
    const store = await openStore();
    const { created, run } = await recurringOp(store, clock);
    const key = getRunFailedAlertKey(created.id);
    await run(false);
    await run(true);
    // The monitor reads the op (recovered: a later run succeeded), then, before it resolves, the
    // next run fails and the crank's raise finds the alert already firing.
    let interleave = true;
    const getOp: SqliteStore["getOp"] = async (id) => {
      const op = await store.getOp(id);
      if (interleave) {
        interleave = false;
        await run(false);
      }
      return op;
    };
    const racing = { getAlerts: () => store.getAlerts(), transitionAlert: store.transitionAlert.bind(store), getOp };
    const m = createAlertMonitor({ store: racing, clock, logger: captureLogger().logger, checks: [] });
    expect(await m.evaluate()).toEqual([]);
    expect(interleave).toBe(false);
    expect((await store.getAlerts()).map((a) => [a.key, a.state])).toEqual([[key, "firing"]]);
    // It resolves on the next success, as before.
    await run(true);
    expect((await m.evaluate()).map((t) => t.state)).toEqual(["resolved"]);
  });

  it("overdue ops: fire past the overdue margin while the crank should run; pausing or working them off resolves", async () => {
    const clock = new ManualClock(T0);
    const store = await openStore();
    const m = monitor(store, clock, [
      createOverdueCheck({ countOverdue: getOverdueCounter(store), getControl: () => store.getControl(), overdueMs: 60_000 }),
    ]);
    const { op } = await store.createOp(makeNewOp({ next_exec: T0 }));
    await store.createOp(makeNewOp({ next_exec: T0 + 3_600_000 })); // not due: never overdue
    clock.advance(60_000);
    expect(await m.evaluate()).toEqual([]);
    clock.advance(1);
    expect(await m.evaluate()).toMatchObject([{ key: "ops_overdue", state: "firing" }]);
    await store.setPaused({ paused: true, by: "operator", now: clock.now() });
    expect(await m.evaluate()).toMatchObject([{ state: "resolved" }]);
    await store.setPaused({ paused: false, by: "operator", now: clock.now() });
    clock.advance(1_000);
    expect(await m.evaluate()).toMatchObject([{ state: "firing" }]); // a new incident
    await store.claimOne({ id: op.id, now: clock.now(), owner: "crank", lease_ms: 30_000 });
    expect(await m.evaluate()).toMatchObject([{ state: "resolved" }]);
    const events = await outboxEvents(store);
    expect(events.map((e) => e.type)).toEqual(["alert.firing", "alert.resolved", "alert.firing", "alert.resolved"]);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(4);
    expect(events[0]?.payload.data).toEqual({ overdue: 1, overdue_ms: 60_000 });
  });

  it("spend cap hit: fires on a cap refusal in the audit trail, resolves on the next UTC day", async () => {
    const clock = new ManualClock(T0);
    const store = await openStore();
    const m = monitor(store, clock, [createSpendCapCheck({ countCapHitsSince: getSpendCapHitCounter(store) })]);
    const refuse = (code: string) =>
      store.audit({ at: clock.now(), instance: "crank", kind: "spend_guard.refused", op_id: "op_x", data: { code, signer: "S" } });
    await refuse("COURIER__OP__FEE_CEILING"); // not a spend cap
    expect(await m.evaluate()).toEqual([]);
    await refuse("COURIER__OP__DAILY_SPEND_CAP");
    expect(await m.evaluate()).toMatchObject([{ key: "spend_cap_hit", state: "firing" }]);
    await refuse("COURIER__OP__SPEND_CAP");
    expect(await m.evaluate()).toEqual([]);
    clock.set(Date.UTC(2026, 0, 2, 0, 0, 0));
    expect(await m.evaluate()).toMatchObject([{ state: "resolved" }]);
    expect((await outboxEvents(store))[0]?.payload.data).toEqual({ day: "2026-01-01", refusals: 1 });
  });

  it("halted: fires and resolves (single monitor, manual clock, checks evaluated in the loop)", async () => {
    const clock = new ManualClock(T0);
    const store = await openStore();
    const m = monitor(store, clock, [createHaltedCheck({ getControl: () => store.getControl() })], 5_000);
    m.start();
    await waitFor("clock.sleeping === 1", async () => clock.sleeping === 1, { timeoutMs: 5_000 });
    await store.setHalted({ halted: true, reason: "crash loop", now: clock.now() });
    clock.advance(5_000);
    await waitFor("(await store.getAlerts())[0]?.state === 'firing'", async () => (await store.getAlerts())[0]?.state === "firing", { timeoutMs: 5_000 });
    await store.setHalted({ halted: false, reason: null, now: clock.now() });
    await waitFor("clock.sleeping === 1", async () => clock.sleeping === 1, { timeoutMs: 5_000 });
    clock.advance(5_000);
    await waitFor("(await store.getAlerts())[0]?.state === 'resolved'", async () => (await store.getAlerts())[0]?.state === "resolved", { timeoutMs: 5_000 });
    await m.stop();
    expect((await outboxEvents(store)).map((e) => e.type)).toEqual(["alert.firing", "alert.resolved"]);
  });

  it("a failing or undecided input changes nothing; failures are logged once until they recover", async () => {
    const clock = new ManualClock(T0);
    const store = await openStore();
    let balance: number | Error = 1;
    const log = captureLogger();
    const m = monitor(
      store,
      clock,
      [
        createSignerBalanceCheck({
          getBalanceLamports: async () => {
            if (balance instanceof Error) throw balance;
            return balance;
          },
          thresholdLamports: 100,
        }),
      ],
      1_000,
      log.logger,
    );
    expect(await m.evaluate()).toMatchObject([{ state: "firing" }]);
    balance = new Error("rpc down");
    for (let i = 0; i < 5; i++) expect(await m.evaluate()).toEqual([]); // unknown: does not resolve
    expect(log.lines.filter((l) => l.msg === "alert.check_failed")).toHaveLength(1);
    balance = 50;
    expect(await m.evaluate()).toEqual([]);
    expect(log.lines.filter((l) => l.msg === "alert.check_recovered")).toHaveLength(1);
    balance = 500;
    expect(await m.evaluate()).toMatchObject([{ state: "resolved" }]);
    expect(() => createAlertMonitor({ store, clock, logger: log.logger, checks: [createHaltedCheck({ getControl: () => store.getControl() }), createHaltedCheck({ getControl: () => store.getControl() })] })).toThrow(/duplicate/);
  });
});
