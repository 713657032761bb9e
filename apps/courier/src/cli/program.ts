/** The `courier` command line: commands, global flags, and the mapping of failures to exit codes. */
import { coerceError } from "@courier/agent";
import { Command, CommanderError } from "commander";
import { registerBackupCommands } from "../commands/backup.js";
import { registerConfigCommand } from "../commands/config.js";
import { registerControlCommands } from "../commands/control.js";
import { registerDoctorCommand } from "../commands/doctor.js";
import { registerLocalnetCommand } from "../commands/localnet.js";
import { registerMigrateStoreCommand } from "../commands/migrate-store.js";
import { registerNonceCommand } from "../commands/nonce.js";
import { registerOpsCommands } from "../commands/ops.js";
import { registerScheduleCommand } from "../commands/schedule.js";
import { registerStartCommand } from "../commands/start.js";
import { registerStatsCommand } from "../commands/stats.js";
import { registerSystemdUnitCommand } from "../commands/systemd-unit.js";
import { getCourierVersion } from "../version.js";
import { EXIT_OK, EXIT_USAGE, type ExitState, getExitCode } from "./exit-codes.js";
import { type CliIo, toOneLine } from "./io.js";

export function createProgram(io: CliIo, exit: ExitState): Command {
  const program = new Command("courier")
    .description("Courier: a self-hosted crank agent for scheduled Solana operations")
    .version(getCourierVersion(), "-V, --version", "print the version")
    .option("--config <file>", "JSON config file (keys in camelCase; COURIER_* variables override it)")
    .option("--json", "print JSON (the default when stdout is not a terminal)")
    // Commander would call process.exit itself; throwing lets runCli map every usage error to exit 2.
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // Usage errors are one line on stderr (commander puts suggestions on a second line).
      outputError: (s, write) => write(`${toOneLine(s)}\n`),
    })
    .showSuggestionAfterError(true);

  registerStartCommand(program, io, exit);
  registerLocalnetCommand(program, io, exit);
  registerScheduleCommand(program, io);
  registerOpsCommands(program, io);
  registerStatsCommand(program, io);
  registerControlCommands(program, io);
  registerDoctorCommand(program, io, exit);
  registerConfigCommand(program, io);
  registerBackupCommands(program, io);
  registerSystemdUnitCommand(program, io);
  registerMigrateStoreCommand(program, io, exit);
  registerNonceCommand(program, io);
  return program;
}

/** Run the CLI on `args` (without node and script); resolves with the exit code. */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  const exit: ExitState = { code: EXIT_OK };
  const program = createProgram(io, exit);
  try {
    await program.parseAsync(dropArgumentSeparator(args), { from: "user" });
    return exit.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has printed its one-line message (or the help text) already.
      return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    const err = coerceError(e);
    io.stderr.write(`error: ${toOneLine(err.message)}\n`);
    return getExitCode(err);
  }
}

/**
 * `pnpm start -- --no-demo` and `pnpm courier -- ops list` (npm's habit) pass the "--" through;
 * no Courier command takes an argument that starts with "-", so the first "--" is dropped.
 */
function dropArgumentSeparator(args: string[]): string[] {
  const i = args.indexOf("--");
  return i === -1 ? args : [...args.slice(0, i), ...args.slice(i + 1)];
}
