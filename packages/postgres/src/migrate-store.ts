import { existsSync } from "node:fs";
import { CourierError } from "@courier/agent";
import Database from "better-sqlite3";
import pg from "pg";
import { toStoreError } from "./db/errors.js";
import { quoteIdent } from "./db/pool.js";
import { DEFAULT_SCHEMA, openPostgresStore, redactPostgresUrl } from "./open.js";

export interface MigrateStoreArgs {
  /** Path of the SQLite store file to copy from (left untouched; opened read-only). */
  from: string;
  /** postgres:// URL of the target; its schema must hold no ops, attempts or ledger entries yet. */
  to: string;
  /** Target schema (default `courier`, the same default as openPostgresStore). */
  schema?: string;
  /** Wall-clock now (epoch ms) for the live-lease check; defaults to Date.now(). */
  now?: number;
}

export interface MigrateStoreResult {
  schema: string;
  /** Rows copied per table. */
  copied: Record<string, number>;
}

/**
 * Tables copied, in order. `rowid` tables are read in keyset pages inside one read transaction
 * (a consistent snapshot); WITHOUT ROWID tables are small and read whole. Not copied: instances
 * (liveness of processes that are stopped) and op_counts (the target's triggers rebuild them as
 * the ops are inserted).
 */
const TABLES: ReadonlyArray<{ name: string; rowid: boolean; serial?: boolean }> = [
  { name: "ops", rowid: true },
  { name: "attempts", rowid: true, serial: true },
  { name: "attempt_totals", rowid: false },
  { name: "ledger", rowid: true },
  { name: "ticks", rowid: true },
  { name: "spend", rowid: false },
  { name: "audit", rowid: true, serial: true },
  { name: "outbox", rowid: true, serial: true },
  { name: "alerts", rowid: true },
];

/** Boolean columns stored as 0/1 in SQLite. */
const BOOLEAN_COLUMNS: Record<string, string[]> = { ops: ["reclaimed"], control: ["paused", "halted"] };

const PAGE = 2_000;
/** PostgreSQL allows 65,535 bind parameters per statement; stay well below. */
const MAX_PARAMS = 30_000;

/**
 * Copy a SQLite store into PostgreSQL: ops (with their run, attempts, leases and flags), attempt
 * history and totals, the executor ledger, ticks, spend, audit, the webhook outbox, alert state
 * and the pause/halt switch — in one PostgreSQL transaction, checked row for row before it
 * commits. Refuses while any op is `running` with a live lease (stop every crank first: a crank
 * still working on the SQLite store would keep acting on ops the PostgreSQL store also hands out)
 * and when the target already holds ops. Running ops whose lease has expired are copied as they
 * are; the PostgreSQL store reclaims them like any other dead owner's ops.
 */
export async function migrateStore(args: MigrateStoreArgs): Promise<MigrateStoreResult> {
  const schema = args.schema ?? DEFAULT_SCHEMA;
  const now = args.now ?? Date.now();
  if (!existsSync(args.from)) throw new CourierError("COURIER__NOT_FOUND", `no SQLite store at ${args.from}`, { field: "from" });
  const src = new Database(args.from, { readonly: true, fileMustExist: true });
  try {
    const live = src.prepare("SELECT COUNT(*) AS n FROM ops WHERE status = 'running' AND lease_until > ?").get(now) as { n: number };
    if (live.n > 0) {
      throw new CourierError("COURIER__CONFLICT", `${live.n} op(s) are running under a live lease: stop every crank on this store, then migrate`, {
        running: live.n,
      });
    }
    // Creates the schema and runs the PostgreSQL migrations (under their advisory lock).
    await (await openPostgresStore(args.to, { schema, poolSize: 1 })).close();
    const client = new pg.Client({ connectionString: args.to, options: `-c search_path=${quoteIdent(schema)}` });
    try {
      await client.connect();
      await client.query("BEGIN ISOLATION LEVEL SERIALIZABLE");
      const copied = await copyAll(src, client, schema);
      await client.query("COMMIT");
      return { schema, copied };
    } catch (e) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw e;
    } finally {
      await client.end().catch(() => undefined);
    }
  } catch (e) {
    const err = toStoreError(e);
    if (err.code === "COURIER__STORE__UNAVAILABLE") {
      throw new CourierError(err.code, `cannot migrate to ${redactPostgresUrl(args.to)}: ${err.message}`, err.context, { cause: e });
    }
    throw err;
  } finally {
    src.close();
  }
}

async function copyAll(src: Database.Database, client: pg.Client, schema: string): Promise<Record<string, number>> {
  const { rows: nonEmpty } = await client.query<{ n: string }>(
    "SELECT (SELECT COUNT(*) FROM ops) + (SELECT COUNT(*) FROM attempts) + (SELECT COUNT(*) FROM ledger) AS n",
  );
  if (Number(nonEmpty[0]?.n ?? 0) > 0) {
    throw new CourierError("COURIER__CONFLICT", `the target schema "${schema}" already holds ops: migrate into an empty store`, { schema });
  }
  const copied: Record<string, number> = {};
  // One read transaction on the SQLite side: every page comes from the same snapshot.
  src.exec("BEGIN");
  try {
    for (const t of TABLES) {
      if (!sqliteHasTable(src, t.name)) continue;
      const columns = await sharedColumns(src, client, t.name);
      let n = 0;
      if (t.rowid) {
        let after = 0;
        const page = src.prepare(`SELECT rowid AS __rowid, ${columns.join(", ")} FROM ${t.name} WHERE rowid > ? ORDER BY rowid LIMIT ?`);
        for (;;) {
          const rows = page.all(after, PAGE) as Array<Record<string, unknown>>;
          if (rows.length === 0) break;
          after = rows[rows.length - 1]?.__rowid as number;
          await insertRows(client, t.name, columns, rows);
          n += rows.length;
        }
      } else {
        const rows = src.prepare(`SELECT ${columns.join(", ")} FROM ${t.name}`).all() as Array<Record<string, unknown>>;
        await insertRows(client, t.name, columns, rows);
        n = rows.length;
      }
      if (t.serial) {
        // Keep new ids after the copied ones.
        await client.query(`SELECT setval(pg_get_serial_sequence('${t.name}', 'id'), GREATEST((SELECT MAX(id) FROM ${t.name}), 1))`);
      }
      const { rows: check } = await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${t.name}`);
      if (Number(check[0]?.n) !== n) {
        throw new CourierError("COURIER__STORE__CORRUPT", `copy of ${t.name} does not add up: ${n} read, ${check[0]?.n} in the target`, { table: t.name });
      }
      copied[t.name] = n;
    }
    const control = src.prepare("SELECT paused, paused_at, paused_by, halted, halted_at, halted_reason FROM control WHERE id = 1").get() as
      | Record<string, unknown>
      | undefined;
    if (control) {
      await client.query("UPDATE control SET paused = $1, paused_at = $2, paused_by = $3, halted = $4, halted_at = $5, halted_reason = $6 WHERE id = 1", [
        control.paused === 1,
        control.paused_at,
        control.paused_by,
        control.halted === 1,
        control.halted_at,
        control.halted_reason,
      ]);
    }
  } finally {
    src.exec("COMMIT");
  }
  return copied;
}

function sqliteHasTable(src: Database.Database, table: string): boolean {
  return src.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

/** Columns present on both sides (so a store one migration behind still copies what it has). */
async function sharedColumns(src: Database.Database, client: pg.Client, table: string): Promise<string[]> {
  const sqliteCols = (src.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name);
  const { rows } = await client.query<{ column_name: string }>(
    "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1",
    [table],
  );
  const pgCols = new Set(rows.map((r) => r.column_name));
  return sqliteCols.filter((c) => pgCols.has(c));
}

async function insertRows(client: pg.Client, table: string, columns: string[], rows: Array<Record<string, unknown>>): Promise<void> {
  const bools = new Set(BOOLEAN_COLUMNS[table] ?? []);
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const params: unknown[] = [];
    const tuples = chunk.map((row) => {
      const slots = columns.map((c) => {
        const v = row[c];
        params.push(bools.has(c) ? v === 1 : v);
        return `$${params.length}`;
      });
      return `(${slots.join(", ")})`;
    });
    await client.query(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${tuples.join(", ")}`, params);
  }
}
