/**
 * `courier systemd-unit`: print the systemd unit of `courier start` generated from the config
 * (see ../wiring/systemd-unit.ts). Plain text even when piped (`> courier.service` is the point);
 * an explicit --json prints `{unit, settings}`.
 */
import { resolve } from "node:path";
import type { Command } from "commander";
import { type GlobalOptions, getCommandContext } from "../cli/context.js";
import { type CliIo, printJson } from "../cli/io.js";
import { getUnitSettings, renderSystemdUnit } from "../wiring/systemd-unit.js";

export interface SystemdUnitFlags {
  environmentFile?: string;
  user?: string;
  workdir?: string;
}

export function registerSystemdUnitCommand(program: Command, io: CliIo): void {
  program
    .command("systemd-unit")
    .description("print a systemd unit for `courier start`, generated from this config (restart limits follow the supervisor's)")
    // Not --env-file: Node 20 reads that flag anywhere on its command line, even after the script.
    .option("--environment-file <path>", "EnvironmentFile= holding the COURIER_* variables (keep secrets there, mode 0600)")
    .option("--user <user>", "User= the service runs as")
    .option("--workdir <dir>", "WorkingDirectory= (default: the current directory; relative paths in the config resolve against it)")
    .action((flags: SystemdUnitFlags, command: Command) => {
      const ctx = getCommandContext(io, command);
      const globals = command.optsWithGlobals<GlobalOptions>();
      // Paths as typed here are relative to this shell's directory, not to --workdir.
      const opts = {
        configFile: globals.config ? resolve(globals.config) : null,
        envFile: flags.environmentFile ? resolve(flags.environmentFile) : null,
        user: flags.user ?? null,
        workdir: flags.workdir ?? process.cwd(),
      };
      const unit = renderSystemdUnit(ctx.config, opts);
      if (globals.json === true) printJson(io, { unit, settings: getUnitSettings(ctx.config, opts) });
      else io.stdout.write(unit);
    });
}
