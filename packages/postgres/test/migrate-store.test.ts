import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isCourierError, type NewOp, type Store } from "@courier/agent";
import { afterAll, describe, expect, it } from "vitest";
import { migrateStore } from "../src/migrate-store.js";
import { openPostgresStore } from "../src/open.js";
import { freshSchemaName, makeNewOp, T0, useTestPostgres } from "@courier/testing";
import { openSqliteStore } from "@courier/sqlite";

const { server, schemas } = await useTestPostgres();
const root = mkdtempSync(join(tmpdir(), "courier-migrate-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
const op = (over: Partial<NewOp> = {}): NewOp => {
  n += 1;
  return makeNewOp({ id: `op_mig_${String(n).padStart(4, "0")}`, params: { n }, created_at: T0 - 1000 + n, ...over });
};


/** A SQLite store with something in every table the copy covers. */
async function populate(s: Store): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) ids.push((await s.createOp(op({ idempotency_key: i === 0 ? "key-0" : null }))).op.id);
  const [done, dead, crashed, , cancelled] = ids as [string, string, string, string, string];
  await s.claimOne({ id: done, now: T0, owner: "a", lease_ms: 1000 });
  await s.finishAttempt({
    id: done,
    owner: "a",
    now: T0 + 5,
    transition: { kind: "finish", status: "succeeded", exec_count: 1, last_error: null },
    attempt: { op_id: done, run: 1, attempt: 1, instance: "a", action: "test.noop", started_at: T0, ended_at: T0 + 5, outcome: "ok", error_code: null, error: null, signature: "sig1", latency_ms: 5 },
  });
  await s.claimOne({ id: dead, now: T0, owner: "a", lease_ms: 1000 });
  await s.finishAttempt({
    id: dead,
    owner: "a",
    now: T0 + 7,
    transition: { kind: "finish", status: "dead", exec_count: 0, last_error: "gave up" },
    attempt: { op_id: dead, run: 1, attempt: 1, instance: "a", action: "test.noop", started_at: T0, ended_at: T0 + 7, outcome: "retryable", error_code: "X", error: "429", signature: null, latency_ms: 7 },
  });
  // a crank died mid-run: reclaimed once, then its heir died too (running, lease long expired)
  await s.claimOne({ id: crashed, now: T0, owner: "dead-1", lease_ms: 10 });
  await s.reclaimExpired({ now: T0 + 11, limit: 10 });
  await s.claimOne({ id: crashed, now: T0 + 11, owner: "dead-2", lease_ms: 10 });
  await s.cancelOp({ id: cancelled, now: T0 + 1 });
  await s.putLedgerEntry({
    op_id: done,
    run: 1,
    seq: 0,
    signature: "sig1",
    wire: new Uint8Array([0, 1, 2, 250, 255]),
    blockhash: "bh",
    last_valid_block_height: 3_000_000_000,
    state: "landed",
    error: null,
    lamports: 5000,
    signer: "S",
    created_at: T0,
    updated_at: T0 + 5,
  });
  await s.recordTick({ id: "tick-1", instance: "a", started_at: T0, duration_ms: 3, claimed: 2, succeeded: 1, failed: 0, retried: 1, skipped_in_flight: 0 });
  await s.reserveSpend({ signer: "S", day: "2026-01-01", lamports: 5000, cap: null });
  await s.audit({ at: T0, instance: "a", kind: "pause", op_id: null, data: { by: "cli" } });
  await s.audit({ at: T0 + 1, instance: null, kind: "restart", op_id: done, data: {} });
  await s.enqueueOutbox({ event_id: "ev-1", type: "op.succeeded", payload: { op_id: done }, now: T0 });
  await s.transitionAlert({ key: "halted", state: "firing", now: T0, data: { reason: "r" }, event: { event_id: "ev-2", type: "alert.firing", payload: {} } });
  await s.setPaused({ paused: true, by: "ops", now: T0 });
  return ids;
}

describe.skipIf(!server)("migrateStore (SQLite → PostgreSQL)", () => {
  const url = () => (server as { url: string }).url;

  it("copies ops, history, ledger, ticks, spend, audit, outbox, alerts and the pause switch; the copy behaves the same", async () => {
    const path = join(root, `a-${++n}.db`);
    const sqlite = await openSqliteStore(path);
    const ids = await populate(sqlite);
    const schema = freshSchemaName("mig");
    schemas.push(schema);

    const result = await migrateStore({ from: path, to: url(), schema, now: T0 + 60_000 });
    expect(result.copied).toMatchObject({ ops: 6, attempts: 2, ledger: 1, ticks: 1, spend: 1, audit: 2, outbox: 2, alerts: 1 });

    const pgs = await openPostgresStore(url(), { schema });
    try {
      for (const id of ids) {
        expect(await pgs.getOp(id)).toEqual(await sqlite.getOp(id));
        expect(await pgs.getAttempts(id)).toEqual(await sqlite.getAttempts(id));
        expect(await pgs.getOpLedger(id)).toEqual(await sqlite.getOpLedger(id));
      }
      const { instances: _a, ...pgStats } = await pgs.stats({ ticks: 10, now: T0 + 60_000 });
      const { instances: _b, ...sqliteStats } = await sqlite.stats({ ticks: 10, now: T0 + 60_000 });
      expect(pgStats).toEqual(sqliteStats);
      expect(await pgs.listAudit({ limit: 10 })).toEqual(await sqlite.listAudit({ limit: 10 }));
      expect(await pgs.outboxSummary()).toEqual(await sqlite.outboxSummary());
      expect(await pgs.getAlerts()).toEqual(await sqlite.getAlerts());
      expect(await pgs.spendToday({ day: "2026-01-01" })).toBe(5000);
      expect((await pgs.createOp(op({ idempotency_key: "key-0" }))).created).toBe(false);

      // the op whose owners died is reclaimed in PostgreSQL, still flagged for ledger reconciliation
      expect(await pgs.reclaimExpired({ now: T0 + 60_000, limit: 10 })).toBe(1);
      const claimed = await pgs.claimOne({ id: ids[2] as string, now: T0 + 60_000, owner: "pg-host", lease_ms: 1000 });
      expect(claimed?.reclaimed).toBe(true);
      // new ids continue after the copied ones
      await pgs.audit({ at: T0 + 2, instance: null, kind: "migrated", op_id: null, data: {} });
      const [newest, previous] = await pgs.listAudit({ limit: 2 });
      expect((newest?.id ?? 0) > (previous?.id ?? 0)).toBe(true);
    } finally {
      await pgs.close();
      await sqlite.close();
    }
  });

  it("refuses while an op runs under a live lease, and into a store that already holds ops", async () => {
    const path = join(root, `b-${++n}.db`);
    const sqlite = await openSqliteStore(path);
    const id = (await sqlite.createOp(op())).op.id;
    await sqlite.claimOne({ id, now: T0, owner: "alive", lease_ms: 60_000 });
    const schema = freshSchemaName("mig");
    schemas.push(schema);
    await expect(migrateStore({ from: path, to: url(), schema, now: T0 + 1000 })).rejects.toSatisfy((e) => isCourierError(e, "COURIER__CONFLICT"));

    await sqlite.releaseOp({ id, owner: "alive", now: T0 + 1, next_exec: T0 + 1, last_error: null });
    await sqlite.close();
    expect((await migrateStore({ from: path, to: url(), schema, now: T0 + 1000 })).copied.ops).toBe(1);
    await expect(migrateStore({ from: path, to: url(), schema, now: T0 + 1000 })).rejects.toSatisfy((e) => isCourierError(e, "COURIER__CONFLICT"));
  });
});
