/** `courier stats`: the stats object of GET /admin/api/courier/stats, read from the store. */
import type { Command } from "commander";
import { getCommandContext } from "../cli/context.js";
import { formatStats } from "../cli/format.js";
import { type CliIo, printJson } from "../cli/io.js";
import { createLocalAdmin } from "../wiring/local-admin.js";
import { withStore } from "../wiring/open-store.js";

export function registerStatsCommand(program: Command, io: CliIo): void {
  program
    .command("stats")
    .description("crank summary: state, instances, totals, latency, recent ticks (from the store)")
    .option("--ticks <n>", "number of recent ticks", "20")
    .action(async (flags: { ticks: string }, command: Command) => {
      const ctx = getCommandContext(io, command);
      const query = new URLSearchParams({ ticks: flags.ticks });
      const stats = await withStore(ctx.config, (store) =>
        createLocalAdmin(store, { instanceId: ctx.config.instanceId, spendCapPerDay: ctx.config.dailyCapLamports, retentionDays: ctx.config.retentionDays }).get(`/admin/api/courier/stats?${query}`),
      );
      if (ctx.json) printJson(io, stats);
      else io.stdout.write(`${formatStats(stats as Record<string, unknown>)}\n`);
    });
}
