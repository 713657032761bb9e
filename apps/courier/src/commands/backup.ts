/**
 * `courier backup FILE` (online SQLite backup, consistent while cranks keep writing) and
 * `courier restore FILE` (integrity-checked, refused while any crank holds a live lease or
 * ticked recently, keeps the replaced store beside it).
 */
import { copyFileSync, existsSync, renameSync, rmSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { CourierError, coerceError, systemClock, toIso } from "@courier/agent";
import type { Command } from "commander";
import { getCommandContext } from "../cli/context.js";
import { formatKeyValues } from "../cli/format.js";
import { type CliIo, printJson } from "../cli/io.js";
import type { Config } from "../config/index.js";
import { isPostgresUrl, withStore } from "../wiring/open-store.js";
import { openSqliteStore } from "@courier/sqlite";

export function registerBackupCommands(program: Command, io: CliIo): void {
  program
    .command("backup")
    .description("online backup of the SQLite store to FILE (safe while cranks run)")
    .argument("<file>", "backup file to create")
    .option("--force", "overwrite FILE if it exists")
    .action(async (file: string, flags: { force?: boolean }, command: Command) => {
      const ctx = getCommandContext(io, command);
      assertSqlite(ctx.config);
      if (existsSync(file) && !flags.force) {
        throw new CourierError("COURIER__VALIDATION", `${file} already exists (use --force to overwrite it)`, { field: "file" });
      }
      if (existsSync(file)) rmSync(file);
      const store = await openSqliteStore(ctx.config.db);
      try {
        await store.backup(file);
      } finally {
        await store.close();
      }
      const check = await checkStoreFile(file);
      const result = { backup: resolve(file), bytes: statSync(file).size, integrity: check.detail, at: toIso(systemClock.now()) };
      if (ctx.json) printJson(io, result);
      else io.stdout.write(`${formatKeyValues(Object.entries(result).map(([k, v]) => [k, String(v)]))}\n`);
    });

  program
    .command("restore")
    .description("replace the store with a backup FILE (refused while a crank is working on the store)")
    .argument("<file>", "backup file made by `courier backup`")
    .option("--force", "replace a corrupt store whose leases cannot be read (only after stopping every crank)")
    .action(async (file: string, flags: { force?: boolean }, command: Command) => {
      const ctx = getCommandContext(io, command);
      assertSqlite(ctx.config);
      if (!existsSync(file)) throw new CourierError("COURIER__VALIDATION", `${file} does not exist`, { field: "file" });
      const check = await checkStoreFile(file);
      if (!check.ok) throw new CourierError("COURIER__STORE__CORRUPT", `${file} failed the integrity check: ${check.detail}`, { file });
      const db = ctx.config.db;
      let previous: string | null = null;
      if (existsSync(db)) {
        // The store being replaced may be corrupt (the usual reason to restore): then its leases
        // cannot be trusted, and only the operator can say every crank is stopped (--force).
        const current = await checkStoreFile(db).catch((e: unknown) => {
          const err = coerceError(e);
          // Not corrupt but not openable read-only (e.g. an older schema): the lease check below opens it.
          return { ok: err.code !== "COURIER__STORE__CORRUPT", detail: err.message };
        });
        if (current.ok) await assertNoLiveCrank(ctx.config);
        else if (!flags.force) {
          throw new CourierError(
            "COURIER__STORE__CORRUPT",
            `${db} is corrupt, so live leases cannot be checked (${current.detail.split("\n")[0]}): stop every crank, then rerun with --force`,
            { path: db },
          );
        }
        // Closing the last connection checkpoints the WAL, so the file moved aside is complete.
        previous = `${db}.before-restore-${systemClock.now()}`;
        for (const suffix of ["-wal", "-shm"]) rmSync(`${db}${suffix}`, { force: true });
        renameSync(db, previous);
      }
      copyFileSync(file, db);
      // Opening runs migrations (an older backup is brought up to this build's schema).
      const restored = await openSqliteStore(db);
      try {
        const after = await restored.integrityCheck();
        if (!after.ok) throw new CourierError("COURIER__STORE__CORRUPT", `restored store failed the integrity check: ${after.detail}`);
        // A backup does not know what ran after it was taken: its ops look pending again and would
        // pay twice. The restored store starts paused so the operator reconciles first (runbook).
        await restored.setPaused({ paused: true, by: "courier restore", now: systemClock.now() });
        await restored.audit({ at: systemClock.now(), instance: null, kind: "store.restored", op_id: null, data: { from: resolve(file) } });
      } finally {
        await restored.close();
      }
      const result = { restored: resolve(db), from: resolve(file), previous_store: previous ? resolve(previous) : null, paused: true };
      if (ctx.json) printJson(io, result);
      else io.stdout.write(`${formatKeyValues(Object.entries(result).map(([k, v]) => [k, String(v ?? "-")]))}\n`);
    });
}

function assertSqlite(config: Config): void {
  if (isPostgresUrl(config.db)) {
    throw new CourierError("COURIER__VALIDATION", "backup and restore apply to the SQLite store; use pg_dump for PostgreSQL", { field: "COURIER_DB" });
  }
}

/** Integrity of a store file opened read-only (the file is not modified). */
async function checkStoreFile(file: string): Promise<{ ok: boolean; detail: string }> {
  const store = await openSqliteStore(file, { readonly: true });
  try {
    return await store.integrityCheck();
  } finally {
    await store.close();
  }
}

/** A crank that holds a lease or ticked within one lease period may still be writing. */
async function assertNoLiveCrank(config: Config): Promise<void> {
  await withStore(config, async (store) => {
    const now = systemClock.now();
    const running = await store.listOps({ status: "running", limit: 100 });
    const leased = running.ops.filter((op) => op.lease_until !== null && op.lease_until > now);
    if (leased.length > 0) {
      throw new CourierError("COURIER__CONFLICT", `op ${leased[0]?.id} holds a live lease (owner ${leased[0]?.lease_owner}): stop every crank before restoring`, {
        id: leased[0]?.id,
      });
    }
    const stats = await store.stats({ ticks: 1, now });
    const active = stats.instances.find((i) => i.last_tick_at !== null && now - Date.parse(i.last_tick_at) < config.leaseMs);
    if (active) {
      throw new CourierError("COURIER__CONFLICT", `crank instance ${active.id} ticked at ${active.last_tick_at}: stop every crank before restoring`, {
        id: active.id,
      });
    }
  });
}
