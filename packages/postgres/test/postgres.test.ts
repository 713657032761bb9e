import { isCourierError, type NewOp } from "@courier/agent";
import { freshSchemaName, useTestPostgres, getFreePort, makeNewOp } from "@courier/testing";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { toStoreError, withPgRetry } from "../src/db/errors.js";
import { POSTGRES_MIGRATIONS } from "../src/index.js";
import { openPostgresStore } from "../src/open.js";

const { server, schemas } = await useTestPostgres();

function openFresh(poolSize = 4) {
  if (!server) throw new Error("no PostgreSQL");
  const schema = freshSchemaName();
  schemas.push(schema);
  return openPostgresStore(server.url, { schema, poolSize });
}

describe.skipIf(!server)("PostgresStore (PostgreSQL specifics)", () => {
  const url = () => (server as { url: string }).url;

  it("three openers at once on a fresh schema migrate it once, under the advisory lock", async () => {
    const schema = freshSchemaName("mig");
    schemas.push(schema);
    const stores = await Promise.all([0, 1, 2].map(() => openPostgresStore(url(), { schema, poolSize: 2 })));
    const client = new pg.Client({ connectionString: url() });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`);
      expect(rows).toEqual(POSTGRES_MIGRATIONS.map((_, i) => ({ version: i + 1 })));
    } finally {
      await client.end();
    }
    await stores[0]?.createOp(makeOp("op_mig_1"));
    expect((await stores[2]?.getOp("op_mig_1"))?.id).toBe("op_mig_1");
    for (const s of stores) await s.close();
  });

  it("BIGINT columns come back as numbers, without touching pg's global type parsers", async () => {
    const s = await openFresh();
    const big = 4_102_444_800_000; // 2100-01-01: far past 2^31
    await s.createOp(makeOp("op_big", big));
    const op = await s.getOp("op_big");
    expect(op?.next_exec).toBe(big);
    expect(typeof op?.created_at).toBe("number");
    expect(await s.reserveSpend({ signer: "S", day: "d", lamports: 9_000_000_000_000, cap: null })).toBe(9_000_000_000_000);
    expect(await s.spendToday({ day: "d" })).toBe(9_000_000_000_000);
    // The global registry still returns int8 as a string for everyone else in the process.
    expect(pg.types.getTypeParser(20, "text")("12")).toBe("12");
    await s.close();
  });

  it("countOverdue counts pending ops due strictly before the given time", async () => {
    const s = await openFresh();
    await s.createOp(makeOp("op_o1", 1000));
    await s.createOp(makeOp("op_o2", 2000));
    await s.createOp(makeOp("op_o3", 3000));
    await s.claimOne({ id: "op_o1", now: 1000, owner: "a", lease_ms: 60_000 });
    expect(await s.countOverdue({ before: 2000 })).toBe(0);
    expect(await s.countOverdue({ before: 2001 })).toBe(1);
    expect(await s.countOverdue({ before: 10_000 })).toBe(2);
    await s.close();
  });

  it("stats count the same after folding the count deltas", async () => {
    const s = await openFresh();
    for (let i = 0; i < 5; i++) await s.createOp(makeOp(`op_fold_${i}`));
    const claimed = await s.claimDue({ now: Date.now(), limit: 3, owner: "a", lease_ms: 60_000 });
    await s.cancelOp({ id: claimed[0]?.op.id as string, now: Date.now() });
    const before = await s.stats({ ticks: 0, now: Date.now() });
    expect(before.ops_by_status).toMatchObject({ pending: 2, running: 2, cancelled: 1 });
    expect(await s.foldCounters()).toBe(true);
    expect(await s.stats({ ticks: 0, now: Date.now() })).toEqual(before);
    await s.close();
  });

  it("the due-op lookup can use the partial index ops_due", async () => {
    const s = await openFresh();
    const client = new pg.Client({ connectionString: url(), options: `-c search_path="${s.schema}"` });
    await client.connect();
    try {
      await client.query("SET enable_seqscan = off");
      const { rows } = await client.query<{ "QUERY PLAN": string }>(
        "EXPLAIN SELECT id FROM ops WHERE status = 'pending' AND next_exec <= 1 ORDER BY next_exec LIMIT 10 FOR UPDATE SKIP LOCKED",
      );
      expect(rows.map((r) => r["QUERY PLAN"]).join("\n")).toContain("ops_due");
    } finally {
      await client.end();
    }
    await s.close();
  });

  it("an unreachable server is COURIER__STORE__UNAVAILABLE, with the password kept out of the message", async () => {
    const port = await getFreePort(); // nothing listens there
    const err = await openPostgresStore(`postgres://courier:s3cret@127.0.0.1:${port}/nope`, { schema: "x" }).catch((e: unknown) => e);
    expect(isCourierError(err, "COURIER__STORE__UNAVAILABLE")).toBe(true);
    expect(String((err as Error).message)).not.toContain("s3cret");
  });

  it("a connection killed by the server is UNAVAILABLE; the pool recovers on the next call", async () => {
    const s = await openFresh(1);
    await s.createOp(makeOp("op_kill"));
    const admin = new pg.Client({ connectionString: url() });
    await admin.connect();
    try {
      // A query in flight on the store's own connection when the server kills that backend.
      const slow = s.pool.query("SELECT pg_sleep(5)").catch((e: unknown) => toStoreError(e));
      for (let i = 0; i < 100; i++) {
        const { rowCount } = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'courier' AND query LIKE 'SELECT pg_sleep%'");
        if (rowCount) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const err = await slow;
      expect(isCourierError(err, "COURIER__STORE__UNAVAILABLE")).toBe(true);
    } finally {
      await admin.end();
    }
    expect((await s.getOp("op_kill"))?.id).toBe("op_kill");
    await s.close();
    await expect(s.getOp("op_kill")).rejects.toSatisfy((e) => isCourierError(e, "COURIER__STORE__UNAVAILABLE"));
  });

  it("a real serialization failure is retried inside the store; one that persists is COURIER__STORE__BUSY", async () => {
    const s = await openFresh();
    await s.createOp(makeOp("op_ser"));
    const conn = () => new pg.Client({ connectionString: url(), options: `-c search_path="${s.schema}"` });
    const [c1, c2] = [conn(), conn()];
    await Promise.all([c1.connect(), c2.connect()]);
    /** Two REPEATABLE READ transactions updating one row: the second to write gets a real 40001. */
    const conflict = async () => {
      await c1.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
      await c1.query("SELECT 1 FROM ops WHERE id = 'op_ser'");
      await c2.query("UPDATE ops SET updated_at = updated_at + 1 WHERE id = 'op_ser'");
      try {
        await c1.query("UPDATE ops SET updated_at = updated_at + 1 WHERE id = 'op_ser'");
      } finally {
        await c1.query("ROLLBACK");
      }
    };
    try {
      let calls = 0;
      const value = await withPgRetry(async () => {
        calls += 1;
        if (calls === 1) await conflict();
        return "ok";
      });
      expect(value).toBe("ok");
      expect(calls).toBe(2);
      const err = await withPgRetry(conflict).catch((e: unknown) => e);
      expect(isCourierError(err, "COURIER__STORE__BUSY")).toBe(true);
      expect((err as { context: Record<string, unknown> }).context).toMatchObject({ sqlstate: "40001" });
    } finally {
      await Promise.all([c1.end(), c2.end()]);
      await s.close();
    }
  });

  it("refuses a URL that is not postgres:// and a schema that is not a plain identifier", async () => {
    await expect(openPostgresStore("mysql://x", {})).rejects.toSatisfy((e) => isCourierError(e, "COURIER__CONFIG"));
    await expect(openPostgresStore(url(), { schema: 'x"; drop' })).rejects.toSatisfy((e) => isCourierError(e, "COURIER__CONFIG"));
  });
});

function makeOp(id: string, next_exec = Date.now() - 1000): NewOp {
  return makeNewOp({ id, params: {}, next_exec, created_at: next_exec });
}

