/**
 * The webhook, alert, supervisor and safe-mode wiring of `courier start`, in-process with a real SQLite store:
 * - the supervisor built with the config's bounds halts a loop that keeps crashing; /readyz is
 *   503 with the halt and the action; the halted alert fires into the outbox; resume (the admin
 *   API) restarts it and the alert resolves;
 * - the crank's finishes carry op events (one per finished run, none for a retry);
 * - safe mode: a read-only store's write failure makes /readyz say why; a corrupt store refuses
 *   writes before they reach the file, and reads still pass.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CourierError, type Executor, type NewOp, type SupervisedLoop, createActionRegistry, createAlertMonitor, createCrank, createSupervisor, isCourierError, systemClock } from "@courier/agent";
import { createAdminApp } from "@courier/admin";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config/index.js";
import { getSupervisorLimits } from "./supervisor-limits.js";
import { createWebhooksAndAlerts, getAlertChecks } from "./webhooks-and-alerts.js";
import { createSafeMode } from "./safe-mode.js";
import { openSqliteStore, type SqliteStore } from "@courier/sqlite";
import { waitFor } from "@courier/testing";

const logger = pino({ level: "silent" });
let dir: string;
let store: SqliteStore;
const cleanups: Array<() => Promise<void>> = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "courier-wiring-"));
  store = await openSqliteStore(join(dir, "courier.db"));
});
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function newOp(id: string, over: Partial<NewOp> = {}): NewOp {
  const now = Date.now();
  return {
    id,
    action: "memo",
    params: { text: id },
    schedule: { kind: "once" },
    next_exec: now - 10,
    created_at: now,
    max_exec: null,
    max_attempts: 1,
    expires_at: null,
    idempotency_key: null,
    misfire: "skip",
    missed_window_ms: null,
    ...over,
  };
}


/** Loops that throw at start until `healthy` is set; then a loop that runs until stopped. */
function createLoopFactory(): { createLoop: () => SupervisedLoop; healthy: { value: boolean }; created: { count: number } } {
  const healthy = { value: false };
  const created = { count: 0 };
  return {
    healthy,
    created,
    createLoop() {
      created.count++;
      if (!healthy.value) return { start: () => Promise.reject(new Error("poisoned action threw outside the executor")), stop: async () => {} };
      let stop: () => void = () => {};
      const running = new Promise<void>((resolve) => {
        stop = resolve;
      });
      return { start: () => running, stop: async () => stop() };
    },
  };
}

describe("courier start wiring: webhooks, alerts, supervisor, safe mode", () => {
  it("halts a crash-looping crank within the configured bounds; /readyz and the alert say so; resume restarts it", async () => {
    const config = loadConfig({ env: { COURIER_SUPERVISOR_MAX_RESTARTS: "2", COURIER_SUPERVISOR_COOLDOWN_MS: "1", COURIER_ALERT_MIN_BALANCE_LAMPORTS: "0" } });
    const loops = createLoopFactory();
    const supervisor = createSupervisor({ createLoop: loops.createLoop, store, clock: systemClock, logger, instanceId: "wiring-test", haltPollMs: 20, ...getSupervisorLimits(config) });
    const running = supervisor.start();
    cleanups.push(async () => {
      await supervisor.stop();
      await running;
    });
    const admin = createAdminApp({ store, registry: createActionRegistry(), clock: systemClock, instanceId: "wiring-test", token: null, crankState: () => supervisor.state() });
    const rpc = { health: () => [], allDown: () => false, getBalance: async () => Number.MAX_SAFE_INTEGER };
    const monitor = createAlertMonitor({ store, clock: systemClock, logger, checks: getAlertChecks({ config, store, rpc, signer: "signer" }) });

    await waitFor("halted", () => supervisor.state() === "halted");
    // The first start and 2 restarts: then the circuit opened.
    expect(loops.created.count).toBe(3);
    const readyz = await admin.request("/readyz");
    expect(readyz.status).toBe(503);
    const body = (await readyz.json()) as { reasons: string[]; recommended_action: string };
    expect(body.reasons[0]).toMatch(/crank halted since .*2 restarts/);
    expect(body.recommended_action).toMatch(/resume/);
    expect((await monitor.evaluate()).map((t) => `${t.key}:${t.state}`)).toEqual(["crank_halted:firing"]);
    expect((await store.listAudit({ limit: 50 })).map((e) => e.kind)).toEqual(expect.arrayContaining(["supervisor.crash", "supervisor.restart", "supervisor.halted"]));

    loops.healthy.value = true;
    const resumed = await admin.request("/admin/api/courier/resume", { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect(resumed.status).toBe(200);
    await waitFor("running again", () => supervisor.state() === "running");
    expect((await admin.request("/readyz")).status).toBe(200);
    expect((await monitor.evaluate()).map((t) => `${t.key}:${t.state}`)).toEqual(["crank_halted:resolved"]);
    const outbox = await store.claimOutbox({ now: Date.now(), limit: 10, owner: "t", lease_ms: 1000 });
    expect(outbox.map((i) => i.type)).toEqual(["alert.firing", "alert.resolved"]);
  });

  it("the crank's finishes carry one op event per finished run (none for a retry, none when off) and wake the dispatcher", async () => {
    const config = loadConfig({ env: { COURIER_WEBHOOK_URLS: "http://127.0.0.1:9/hook", COURIER_WEBHOOK_SECRETS: "s3cret-s3cret-s3cret", COURIER_ALERT_MIN_BALANCE_LAMPORTS: "0" } });
    const rpc = { health: () => [], allDown: () => false, getBalance: async () => Number.MAX_SAFE_INTEGER };
    const wiring = createWebhooksAndAlerts({ config, store, rpc, signer: "signer", clock: systemClock, logger });
    const opEvents = wiring.opEvents;
    if (!opEvents) throw new Error("webhooks are configured: the crank must get an op-events hook");
    let woken = 0;
    for (const id of ["op_ok", "op_dead", "op_retry"]) await store.createOp(newOp(id, { max_attempts: id === "op_retry" ? 3 : 1 }));
    const executor: Executor = {
      async execute(op) {
        if (op.id === "op_ok") return { outcome: "ok", signature: "sig-ok" };
        return { outcome: "retryable", error: new CourierError("COURIER__RPC__SERVER_ERROR", "HTTP 503") };
      },
    };
    // A long backoff keeps op_retry from running again (and dying) before the outbox is read.
    const backoff = { baseMs: 600_000, maxMs: 600_000, jitter: 0 };
    const crank = createCrank({ store, executor, clock: systemClock, logger, instanceId: "me", maxIdleMs: 50, backoff, opEvents: { onEnqueued: () => woken++ } });
    const running = crank.start();
    cleanups.push(async () => {
      await crank.stop();
      await running;
    });
    await waitFor("the three ops ended their first attempt", async () => {
      const [ok, dead, retry] = await Promise.all(["op_ok", "op_dead", "op_retry"].map((id) => store.getOp(id)));
      return ok?.status === "succeeded" && dead?.status === "dead" && (retry?.attempts ?? 0) >= 1 && retry?.status === "pending";
    });
    // The two ops run concurrently: their finishes (and so their events) may commit in either order.
    const items = (await store.claimOutbox({ now: Date.now(), limit: 10, owner: "t", lease_ms: 1000 })).sort((a, b) => (a.event_id < b.event_id ? -1 : 1));
    expect(items.map((i) => [i.event_id, i.type])).toEqual([
      ["evt_op_op_dead_1_dead", "op.dead"],
      ["evt_op_op_ok_1_succeeded", "op.succeeded"],
    ]);
    expect(items[1]?.payload).toMatchObject({ op_id: "op_ok", status: "succeeded", outcome: "ok", signature: "sig-ok", error: null, run: 1, attempts: 1 });
    expect(items[0]?.payload).toMatchObject({ status: "dead", error: { code: "COURIER__RPC__SERVER_ERROR", message: "HTTP 503" } });
    expect(woken).toBe(2);

    // Without receivers there is no hook, so the crank writes no op events.
    const quiet = createWebhooksAndAlerts({ config: { ...config, webhookUrls: [], webhookSecrets: [] }, store, rpc, signer: "signer", clock: systemClock, logger });
    expect(quiet.opEvents).toBeUndefined();
  });

  it("safe mode: a read-only store's failed write shows in /readyz; a corrupt store refuses writes, reads pass", async () => {
    await store.createOp(newOp("op_waiting"));
    const readonly = await openSqliteStore(join(dir, "courier.db"), { readonly: true });
    cleanups.push(() => readonly.close());
    const safeMode = createSafeMode({ logger, clock: systemClock, storeLabel: "courier.db" });
    const guarded = safeMode.wrap(readonly);
    const admin = createAdminApp({ store: guarded, registry: createActionRegistry(), clock: systemClock, instanceId: "t", token: null, readiness: () => safeMode.readiness() });
    expect((await admin.request("/readyz")).status).toBe(200);

    const failure = await guarded.claimDue({ now: Date.now(), limit: 10, owner: "me", lease_ms: 30_000 }).catch((e: unknown) => e);
    expect(isCourierError(failure, "COURIER__STORE__UNAVAILABLE")).toBe(true);
    const readyz = await admin.request("/readyz");
    expect(readyz.status).toBe(503);
    const body = (await readyz.json()) as { reasons: string[]; recommended_action: string };
    expect(body.reasons[0]).toMatch(/safe mode .*\(no sends\): store is read-only/);
    expect(body.recommended_action).toMatch(/disk space or fix the permissions/);
    // Reads still serve the operator.
    expect((await guarded.listOps({ limit: 10 })).ops.map((o) => o.id)).toEqual(["op_waiting"]);
    // The store becomes writable again (the same file through a writable connection): another
    // verb succeeding does not end safe mode (no flapping), the verb that failed does.
    const writable = safeMode.wrap(store);
    await writable.heartbeat({ instance: "me", started_at: Date.now(), now: Date.now(), in_flight: 0, ticked: false });
    expect(safeMode.state()?.kind).toBe("unavailable");
    expect(await writable.claimDue({ now: Date.now(), limit: 10, owner: "me", lease_ms: 30_000 })).toHaveLength(1);
    expect(safeMode.state()).toBeNull();
    expect((await admin.request("/readyz")).status).toBe(200);

    // Corrupt: writes are refused here (the writable store is not touched), until a restart.
    const corrupt = createSafeMode({ logger, clock: systemClock, storeLabel: "courier.db" });
    const sealed = corrupt.wrap(store);
    await store.createOp(newOp("op_sealed"));
    corrupt.enterCorrupt("*** in database main *** Page 7: btreeInitPage() returns error code 11");
    const refused = await sealed.claimDue({ now: Date.now(), limit: 10, owner: "me", lease_ms: 30_000 }).catch((e: unknown) => e);
    expect(isCourierError(refused, "COURIER__STORE__CORRUPT")).toBe(true);
    expect((refused as { outcome: string }).outcome).toBe("infra");
    expect((await store.getOp("op_sealed"))?.status).toBe("pending");
    expect((await sealed.getOp("op_sealed"))?.status).toBe("pending");
    expect(corrupt.readiness()?.recommended_action).toMatch(/courier restore FILE/);
    // A later successful write does not clear corrupt mode.
    expect(corrupt.state()?.kind).toBe("corrupt");
  });
});
