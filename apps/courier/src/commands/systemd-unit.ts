/**
 * `courier systemd-unit`: print the systemd unit of `courier start` generated from the config
 * (see ../wiring/systemd-unit.ts). Plain text even when piped (`> courier.service` is the point);
 * an explicit --json prints `{unit, entries}`.
 *
 * The unit carries the effective config: the --config file it passes to `courier start`, and this
 * shell's COURIER_* variables. With --environment-file FILE the command writes them there (plain
 * settings) and to the secrets file (secrets, mode 0600); without it, plain settings become
 * `Environment=` lines and a secret in the shell is refused (exit 2): a unit is world-readable.
 */
import { chmodSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { CourierError } from "@courier/agent";
import type { Command } from "commander";
import { type GlobalOptions, getCommandContext } from "../cli/context.js";
import { type CliIo, printJson } from "../cli/io.js";
import { getServiceEnv, renderEnvironmentFile } from "../wiring/unit-environment.js";
import { getUnitEntries, renderSystemdUnit } from "../wiring/systemd-unit.js";

export interface SystemdUnitFlags {
  environmentFile?: string;
  secretsFile?: string;
  user?: string;
  workdir?: string;
}

/** `courier.env` → `courier.secrets.env`; anything else gets `.secrets` appended. */
export function getDefaultSecretsFile(envFile: string): string {
  return envFile.endsWith(".env") ? `${envFile.slice(0, -".env".length)}.secrets.env` : `${envFile}.secrets`;
}

export function registerSystemdUnitCommand(program: Command, io: CliIo): void {
  program
    .command("systemd-unit")
    .description("print a systemd unit for `courier start` carrying this config (hardened, Type=notify with a watchdog)")
    // Not --env-file: Node 20 reads that flag anywhere on its command line, even after the script.
    .option("--environment-file <path>", "write this shell's plain COURIER_* settings to this EnvironmentFile (and secrets to --secrets-file)")
    .option("--secrets-file <path>", "with --environment-file: where the secret COURIER_* settings go, mode 0600 (default: <name>.secrets.env)")
    .option("--user <user>", "User= the service runs as (default: DynamicUser=yes)")
    .option("--workdir <dir>", "WorkingDirectory= (default: the state directory /var/lib/courier; relative paths in the config resolve against it)")
    .action((flags: SystemdUnitFlags, command: Command) => {
      const ctx = getCommandContext(io, command);
      const globals = command.optsWithGlobals<GlobalOptions>();
      const env = getServiceEnv(io.env);
      const envFile = flags.environmentFile ? resolve(flags.environmentFile) : null;
      const secretsFile = envFile ? resolve(flags.secretsFile ?? getDefaultSecretsFile(envFile)) : null;
      if (envFile === null && env.secret.length > 0) {
        throw new CourierError(
          "COURIER__CONFIG",
          `${env.secret.map(([k]) => k).join(", ")} ${env.secret.length === 1 ? "is a secret" : "are secrets"}: a unit file is readable by anyone; pass --environment-file (secrets go to a 0600 file)`,
          { field: env.secret[0]?.[0] ?? "" },
        );
      }
      // Paths as typed here are relative to this shell's directory, not to --workdir.
      const opts = {
        configFile: globals.config ? resolve(globals.config) : null,
        envFile,
        secretsFile: env.secret.length > 0 ? secretsFile : null,
        environment: envFile === null ? env.plain : [],
        user: flags.user ?? null,
        workdir: flags.workdir ? resolve(flags.workdir) : null,
      };
      if (envFile !== null) {
        writeFileSync(envFile, renderEnvironmentFile(env.plain, "Courier settings, written by `courier systemd-unit`"), { mode: 0o644 });
        if (opts.secretsFile !== null) {
          writeFileSync(opts.secretsFile, renderEnvironmentFile(env.secret, "Courier secrets, written by `courier systemd-unit` (keep mode 0600)"), { mode: 0o600 });
          // An existing file keeps its mode on write: tighten it explicitly.
          chmodSync(opts.secretsFile, 0o600);
        }
      }
      const unit = renderSystemdUnit(ctx.config, opts);
      if (globals.json === true) printJson(io, { unit, entries: getUnitEntries(ctx.config, opts) });
      else io.stdout.write(unit);
    });
}
