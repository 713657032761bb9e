/** `courier config`: the effective config (secrets masked), or `--table`: the docs' variable table. */
import type { Command } from "commander";
import { importQuietly } from "../wiring/quiet-import.js";
import { getCommandContext } from "../cli/context.js";
import { formatKeyValues } from "../cli/format.js";
import { type CliIo, printJson } from "../cli/io.js";
import { renderConfigTable } from "../config/index.js";

export function registerConfigCommand(program: Command, io: CliIo): void {
  program
    .command("config")
    .description("print the effective configuration (defaults < --config file < COURIER_* env), secrets masked")
    .option("--table", "print the Markdown table of every variable (as in README.md and docs/configuration.md)")
    .action(async (flags: { table?: boolean }, command: Command) => {
      if (flags.table) {
        io.stdout.write(`${renderConfigTable()}\n`);
        return;
      }
      const ctx = getCommandContext(io, command);
      // Loaded on demand: URL redaction lives in the Solana package.
      const { getLoggableConfig } = await importQuietly(() => import("../wiring/safe-config.js"));
      const shown = getLoggableConfig(ctx.config);
      if (ctx.json) printJson(io, shown);
      else io.stdout.write(`${formatKeyValues(Object.entries(shown).map(([k, v]) => [k, v === null ? "-" : typeof v === "string" ? v : JSON.stringify(v)]))}\n`);
    });
}
