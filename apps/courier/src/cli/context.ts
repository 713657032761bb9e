/** What every command needs: the config (global --config, COURIER_* env) and the output mode. */
import type { Command } from "commander";
import { type Config, type ConfigValues, loadConfig } from "../config/index.js";
import { type CliIo, wantsJson } from "./io.js";

export interface GlobalOptions {
  config?: string;
  json?: boolean;
}

export interface CommandContext {
  io: CliIo;
  json: boolean;
  config: Config;
}

export function getCommandContext(io: CliIo, command: Command, overrides: Partial<ConfigValues> = {}): CommandContext {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const config = loadConfig({ env: io.env, configFile: globals.config ?? null, overrides });
  return { io, json: wantsJson(io, globals.json), config };
}
