/** `courier doctor`: prints its checks as a table (or JSON); exit 1 when any check fails. */
import { resolve } from "node:path";
import type { Command } from "commander";
import { importQuietly } from "../wiring/quiet-import.js";
import { type GlobalOptions, getCommandContext } from "../cli/context.js";
import { EXIT_FAILURE, type ExitState } from "../cli/exit-codes.js";
import { formatTable } from "../cli/format.js";
import { type CliIo, printJson } from "../cli/io.js";

export function registerDoctorCommand(program: Command, io: CliIo, exit: ExitState): void {
  program
    .command("doctor")
    .description("check the config: store, keypair, RPC endpoints (same cluster), admin token")
    .option("--unit <file>", "also report drift between this systemd unit file and `courier systemd-unit`")
    .option("--user <user>", "with --unit: the User= expected (default: the unit's)")
    .option("--workdir <dir>", "with --unit: the WorkingDirectory= expected (default: the unit's)")
    .action(async (flags: { unit?: string; user?: string; workdir?: string }, command: Command) => {
      const ctx = getCommandContext(io, command);
      // Loaded on demand: the checks pull in the Solana stack.
      const { runDoctor } = await importQuietly(() => import("../doctor/run-doctor.js"));
      const configFile = command.optsWithGlobals<GlobalOptions>().config;
      const unit = flags.unit
        ? {
            unitFile: flags.unit,
            configFile: configFile ? resolve(configFile) : null,
            ...(flags.user ? { user: flags.user } : {}),
            ...(flags.workdir ? { workdir: resolve(flags.workdir) } : {}),
          }
        : undefined;
      const checks = await runDoctor(ctx.config, io.env, unit ? { unit } : {});
      const ok = checks.every((c) => c.status !== "fail");
      if (ctx.json) printJson(io, { ok, checks });
      else io.stdout.write(`${formatTable(["CHECK", "STATUS", "DETAIL"], checks.map((c) => [c.check, c.status.toUpperCase(), c.detail]))}\n`);
      if (!ok) exit.code = EXIT_FAILURE;
    });
}
