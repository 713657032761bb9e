/**
 * `courier migrate-store --to postgres://…`: copy the SQLite store named by COURIER_DB into an
 * empty PostgreSQL schema (COURIER_DB_SCHEMA): ops with their history, ledger, audit, outbox,
 * alerts and the pause/halt switch (see @courier/postgres migrateStore). Refused while a crank
 * holds a live lease on the SQLite store, or when the target already holds ops: both are the
 * operator's to fix (exit 2), like a missing source store. The target URL's password is never
 * printed, in the result or in an error.
 */
import { resolve } from "node:path";
import { CourierError, type ErrorCode, coerceError } from "@courier/agent";
import type { Command } from "commander";
import { getCommandContext } from "../cli/context.js";
import { EXIT_FAILURE, EXIT_USAGE, type ExitState } from "../cli/exit-codes.js";
import { formatKeyValues } from "../cli/format.js";
import { type CliIo, printJson, toOneLine } from "../cli/io.js";
import { describeDb, isPostgresUrl } from "../wiring/open-store.js";

/** Failures that the operator fixes before trying again (exit 2), besides usage errors. */
const OPERATOR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(["COURIER__CONFLICT", "COURIER__NOT_FOUND", "COURIER__VALIDATION", "COURIER__CONFIG"]);

export function registerMigrateStoreCommand(program: Command, io: CliIo, exit: ExitState): void {
  program
    .command("migrate-store")
    .description("copy the SQLite store (COURIER_DB) into an empty PostgreSQL schema (COURIER_DB_SCHEMA); stop every crank first")
    .requiredOption("--to <url>", "postgres:// URL of the target database")
    .action(async (flags: { to: string }, command: Command) => {
      const ctx = getCommandContext(io, command);
      const to = flags.to;
      const password = getPassword(to);
      try {
        if (!isPostgresUrl(to)) {
          throw new CourierError("COURIER__VALIDATION", "--to: expected a postgres:// URL", { field: "--to" });
        }
        if (isPostgresUrl(ctx.config.db)) {
          throw new CourierError("COURIER__VALIDATION", "COURIER_DB is already a PostgreSQL URL: migrate-store copies a SQLite store", { field: "COURIER_DB" });
        }
        const { migrateStore } = await import("@courier/postgres");
        const result = await migrateStore({ from: ctx.config.db, to, schema: ctx.config.dbSchema });
        const shown = { from: resolve(ctx.config.db), to: describeDb(to), schema: result.schema, copied: result.copied };
        if (ctx.json) printJson(io, shown);
        else {
          const copied = Object.entries(result.copied).map(([table, n]) => `${table} ${n}`).join(", ");
          io.stdout.write(`${formatKeyValues([["from", shown.from], ["to", shown.to], ["schema", shown.schema], ["copied", copied]])}\n`);
        }
      } catch (e) {
        const err = coerceError(e);
        io.stderr.write(`error: ${scrub(toOneLine(err.message), password)}\n`);
        exit.code = OPERATOR_CODES.has(err.code) ? EXIT_USAGE : EXIT_FAILURE;
      }
    });
}

function getPassword(url: string): string | null {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password.length > 0 ? password : null;
  } catch (e) {
    coerceError(e);
    return null;
  }
}

/** A driver message may quote the URL it was given; the password never reaches the terminal. */
function scrub(message: string, password: string | null): string {
  if (!password) return message;
  return message.split(password).join("***").split(encodeURIComponent(password)).join("***");
}
