import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STORE_VERB_KINDS, type StoreVerb, type VerbTable, type WriteVerb } from "@courier/agent";
import { T0 } from "@courier/testing";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openSqliteStore, type SqliteStore } from "../src/open.js";
import { createSqliteVerbs } from "../src/verbs.js";

const root = mkdtempSync(join(tmpdir(), "courier-verb-table-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type ReadVerb = Exclude<StoreVerb, WriteVerb>;

/** One call of every read verb; a verb added as "read" without a line here is a type error. */
const READS: { [K in ReadVerb]: (s: SqliteStore) => Promise<unknown> } = {
  nextDueAt: (s) => s.nextDueAt(),
  getLedgerEntries: (s) => s.getLedgerEntries("op_x", 1),
  getOpLedger: (s) => s.getOpLedger("op_x"),
  spendToday: (s) => s.spendToday({ day: "2026-01-01" }),
  outboxSummary: (s) => s.outboxSummary(),
  getOp: (s) => s.getOp("op_x"),
  listOps: (s) => s.listOps({ limit: 10 }),
  getAttempts: (s) => s.getAttempts("op_x"),
  stats: (s) => s.stats({ ticks: 5, now: T0 }),
  getControl: (s) => s.getControl(),
  listAudit: (s) => s.listAudit({ limit: 5 }),
  getAlerts: (s) => s.getAlerts(),
  countOverdue: (s) => s.countOverdue({ before: T0 }),
  oldestOpAt: (s) => s.oldestOpAt(),
  listDueOps: (s) => s.listDueOps({ until: T0, limit: 10 }),
  getOpByIdempotencyKey: (s) => s.getOpByIdempotencyKey("key"),
  countAttemptOutcomes: (s) => s.countAttemptOutcomes({ since: T0, until: T0 + 3_600_000, bucket_ms: 300_000 }),
};

describe("the SQLite verb table", () => {
  it("flags each verb as the one classification does, and the store has every verb", async () => {
    const path = join(root, "flags.db");
    const store = await openSqliteStore(path);
    const db = new Database(path);
    try {
      const table = createSqliteVerbs(db);
      expect(Object.keys(table).sort()).toEqual(Object.keys(STORE_VERB_KINDS).sort());
      for (const [verb, kind] of Object.entries(STORE_VERB_KINDS)) {
        expect({ verb, write: table[verb as StoreVerb].write }).toEqual({ verb, write: kind === "write" });
        expect(typeof (store as unknown as Record<string, unknown>)[verb]).toBe("function");
      }
    } finally {
      db.close();
      await store.close();
    }
  });

  it("every verb flagged read works on a read-only store (it needs no write access)", async () => {
    const path = join(root, "reads.db");
    await (await openSqliteStore(path)).close();
    const ro = await openSqliteStore(path, { readonly: true });
    try {
      for (const [verb, call] of Object.entries(READS)) {
        await expect(call(ro).then(() => verb)).resolves.toBe(verb);
      }
      // A write on the same store is refused, so the check above can fail.
      await expect(ro.setPaused({ paused: true, by: "t", now: T0 })).rejects.toMatchObject({ code: "COURIER__STORE__UNAVAILABLE" });
    } finally {
      await ro.close();
    }
  });

  it("a write verb flagged as a read, or a verb left out, does not compile", () => {
    // Only the table's type is exercised here (pnpm test typechecks this file).
    const fake = {} as VerbTable;
    // @ts-expect-error createOp is a write verb: its flag must be `true`
    const misflagged: VerbTable["createOp"] = { write: false, run: fake.createOp?.run };
    const { getOp: _left, ...rest } = fake;
    // @ts-expect-error a table without getOp is not a VerbTable
    const missing: VerbTable = rest;
    expect([misflagged.write, missing]).toEqual([false, {}]);
  });
});
