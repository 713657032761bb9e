/** `courier start`: the long-running process (see ../start.ts for the wiring). */
import { type Command, Option } from "commander";
import { importQuietly } from "../wiring/quiet-import.js";
import { LOG_FORMATS, type LogFormat, resolveLogFormat } from "../wiring/pretty-log.js";
import { getCommandContext } from "../cli/context.js";
import type { ExitState } from "../cli/exit-codes.js";
import type { CliIo } from "../cli/io.js";

export function registerStartCommand(program: Command, io: CliIo, exit: ExitState): void {
  program
    .command("start")
    .description("run the crank and the admin service (with the embedded localnet when COURIER_RPC_URLS is empty)")
    .option("--no-demo", "do not schedule the demo ops on a brand-new localnet store")
    .addOption(new Option("--log-format <format>", "log lines on stdout (default: pretty on a terminal, json otherwise)").choices(LOG_FORMATS))
    .action(async (flags: { demo: boolean; logFormat?: LogFormat }, command: Command) => {
      // --no-demo overrides COURIER_DEMO; without the flag the config decides.
      const ctx = getCommandContext(io, command, flags.demo === false ? { demo: false } : {});
      // Loaded on demand: the other commands need none of the localnet, executor or server code.
      const { runCourier } = await importQuietly(() => import("../start.js"));
      exit.code = await runCourier(ctx.config, io, { logFormat: resolveLogFormat(flags.logFormat, io.stdout.isTTY === true) });
    });
}
