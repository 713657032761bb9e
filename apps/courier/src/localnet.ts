/** `courier localnet`: the embedded cluster alone, in the foreground, until SIGINT/SIGTERM. */
import { systemClock } from "@courier/agent";
import { type LocalnetProfileName, LOCALNET_PROFILES, startLocalnet } from "@courier/localnet";
import { EXIT_FAILURE, EXIT_OK } from "./cli/exit-codes.js";
import type { CliIo } from "./cli/io.js";
import { createShutdownSignal } from "./wiring/shutdown-signal.js";

export interface LocalnetCommandOptions {
  port: number;
  /** Null: the profile's slot time, else 400 ms. */
  slotMs: number | null;
  profile: LocalnetProfileName | null;
  statePath: string | null;
  /** "user:pass" every JSON-RPC request must carry as basic auth. */
  auth: string | null;
  /** Key every JSON-RPC request must carry as its path or `api-key` query value. */
  apiKey: string | null;
}

export async function runLocalnet(opts: LocalnetCommandOptions, io: CliIo): Promise<number> {
  const shutdown = createShutdownSignal({ clock: systemClock, onForced: () => process.exit(EXIT_FAILURE) });
  const localnet = await startLocalnet({
    host: "127.0.0.1",
    port: opts.port,
    ...(opts.slotMs !== null ? { slotMs: opts.slotMs } : {}),
    ...(opts.profile ? { profile: opts.profile } : {}),
    ...(opts.statePath ? { statePath: opts.statePath } : {}),
    ...(opts.auth ? { auth: opts.auth } : {}),
    ...(opts.apiKey ? { apiKey: opts.apiKey } : {}),
  });
  const slotMs = opts.slotMs ?? (opts.profile ? LOCALNET_PROFILES[opts.profile].slotMs : 400);
  const shape = opts.profile ? `, profile ${opts.profile}` : "";
  io.stderr.write(
    `localnet ready: ${localnet.url}${localnet.wsUrl ? ` (ws ${localnet.wsUrl})` : ""}, slot ${slotMs} ms${shape}${getAuthNote(opts)}; faults at ${localnet.url}/__localnet/faults\n`,
  );
  await shutdown.received;
  await localnet.stop();
  // The handlers stay until exit: a relayed copy of the signal must not kill the process.
  return EXIT_OK;
}

/** Which credentials clients need (never the credentials themselves). */
function getAuthNote(opts: LocalnetCommandOptions): string {
  const needs = [opts.auth ? "basic auth" : null, opts.apiKey ? "an API key (path or ?api-key=)" : null].filter((n) => n !== null);
  return needs.length > 0 ? `, JSON-RPC requires ${needs.join(" and ")}` : "";
}
