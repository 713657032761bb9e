/** `courier localnet`: the embedded Solana cluster alone, until SIGINT/SIGTERM. */
import { type Command, InvalidArgumentError } from "commander";
import type { ExitState } from "../cli/exit-codes.js";
import { importQuietly } from "../wiring/quiet-import.js";
import type { CliIo } from "../cli/io.js";

function parseIntBetween(min: number, max: number) {
  return (value: string): number => {
    const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
}

function parseUserPass(value: string): string {
  if (!/^[^:]+:.+$/.test(value)) throw new InvalidArgumentError("expected user:pass");
  return value;
}

function parseApiKey(value: string): string {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(value)) throw new InvalidArgumentError("expected 1-128 letters, digits, _ or -");
  return value;
}

// Listed here rather than imported: the CLI loads the localnet package only when the command runs.
const PROFILES = ["devnet"] as const;

function parseProfile(value: string): (typeof PROFILES)[number] {
  const found = PROFILES.find((p) => p === value);
  if (!found) throw new InvalidArgumentError(`expected one of: ${PROFILES.join(", ")}`);
  return found;
}

export function registerLocalnetCommand(program: Command, io: CliIo, exit: ExitState): void {
  program
    .command("localnet")
    .description("run the embedded Solana JSON-RPC cluster (LiteSVM) on its own")
    .option("--port <port>", "JSON-RPC port on 127.0.0.1", parseIntBetween(0, 65535), 8899)
    .option("--slot-ms <ms>", "slot time in milliseconds (default 400, or the profile's)", parseIntBetween(1, 60_000))
    .option("--profile <name>", "cluster shape: devnet (400 ms slots, public rate limits, latency with jitter, rare dropped answers)", parseProfile)
    .option("--state <file>", "persist the cluster state to this file across restarts")
    .option("--auth <user:pass>", "require this HTTP basic auth on JSON-RPC requests (like a hosted provider)", parseUserPass)
    .option("--api-key <key>", "require this key as the request path (/KEY) or ?api-key=KEY on JSON-RPC requests", parseApiKey)
    .action(async (flags: { port: number; slotMs?: number; profile?: "devnet"; state?: string; auth?: string; apiKey?: string }) => {
      const { runLocalnet } = await importQuietly(() => import("../localnet.js"));
      exit.code = await runLocalnet(
        { port: flags.port, slotMs: flags.slotMs ?? null, profile: flags.profile ?? null, statePath: flags.state ?? null, auth: flags.auth ?? null, apiKey: flags.apiKey ?? null },
        io,
      );
    });
}
