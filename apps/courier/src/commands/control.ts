/**
 * `courier pause` / `courier resume`: the kill switch in the shared store (every instance obeys
 * it). Runs the admin API's pause/resume in-process, so the CLI records the same audit events
 * and resume clears a supervisor halt exactly as POST /resume does.
 */
import { hostname } from "node:os";
import type { Command } from "commander";
import { getCommandContext } from "../cli/context.js";
import { formatKeyValues } from "../cli/format.js";
import { type CliIo, printJson } from "../cli/io.js";
import { createLocalAdmin } from "../wiring/local-admin.js";
import { withStore } from "../wiring/open-store.js";

interface ControlAnswer {
  state: string;
  control: { paused_at: string | null; paused_by: string | null; halted: boolean };
}

export function registerControlCommands(program: Command, io: CliIo): void {
  for (const verb of ["pause", "resume"] as const) {
    program
      .command(verb)
      .description(verb === "pause" ? "stop every crank instance from claiming ops (persists across restarts)" : "let every crank instance claim ops again (also clears a halt)")
      .action(async (_flags: unknown, command: Command) => {
        const ctx = getCommandContext(io, command);
        const answer = (await withStore(ctx.config, (store) =>
          createLocalAdmin(store, { instanceId: ctx.config.instanceId, spendCapPerDay: ctx.config.dailyCapLamports }).post(
            `/admin/api/courier/${verb}`,
            { by: `cli@${hostname()}` },
          ),
        )) as ControlAnswer;
        if (ctx.json) printJson(io, answer);
        else {
          io.stdout.write(
            `${formatKeyValues([
              ["state", answer.state],
              ["paused_at", answer.control.paused_at ?? "-"],
              ["paused_by", answer.control.paused_by ?? "-"],
            ])}\n`,
          );
        }
      });
  }
}
