/** `courier pause` / `courier resume`: the kill switch in the shared store (every instance obeys it). */
import { type CrankControl, systemClock, toIso } from "@courier/agent";
import type { Command } from "commander";
import { hostname } from "node:os";
import { getCommandContext } from "../cli/context.js";
import { formatKeyValues } from "../cli/format.js";
import { type CliIo, printJson } from "../cli/io.js";
import { withStore } from "../wiring/open-store.js";

/** The state the admin API's pause/resume report, from the shared control row alone. */
export function getControlState(control: CrankControl): "running" | "paused" | "halted" {
  if (control.halted) return "halted";
  return control.paused ? "paused" : "running";
}

export function registerControlCommands(program: Command, io: CliIo): void {
  for (const paused of [true, false]) {
    program
      .command(paused ? "pause" : "resume")
      .description(paused ? "stop every crank instance from claiming ops (persists across restarts)" : "let every crank instance claim ops again")
      .action(async (_flags: unknown, command: Command) => {
        const ctx = getCommandContext(io, command);
        const control = await withStore(ctx.config, (store) =>
          store.setPaused({ paused, by: `cli@${hostname()}`, now: systemClock.now() }),
        );
        const json = {
          state: getControlState(control),
          paused: control.paused,
          paused_at: toIso(control.paused_at),
          paused_by: control.paused_by,
        };
        if (ctx.json) printJson(io, json);
        else io.stdout.write(`${formatKeyValues([["state", json.state], ["paused_at", json.paused_at ?? "-"], ["paused_by", json.paused_by ?? "-"]])}\n`);
      });
  }
}
