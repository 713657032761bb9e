/** `courier localnet`: the embedded cluster alone, in the foreground, until SIGINT/SIGTERM. */
import { type LocalnetProfileName, LOCALNET_PROFILES, startLocalnet } from "@courier/localnet";
import { EXIT_OK } from "./cli/exit-codes.js";
import type { CliIo } from "./cli/io.js";
import { createShutdownSignal } from "./wiring/shutdown-signal.js";

export interface LocalnetCommandOptions {
  port: number;
  /** Null: the profile's slot time, else 400 ms. */
  slotMs: number | null;
  profile: LocalnetProfileName | null;
  statePath: string | null;
}

export async function runLocalnet(opts: LocalnetCommandOptions, io: CliIo): Promise<number> {
  const shutdown = createShutdownSignal(() => process.exit(1));
  try {
    const localnet = await startLocalnet({
      host: "127.0.0.1",
      port: opts.port,
      ...(opts.slotMs !== null ? { slotMs: opts.slotMs } : {}),
      ...(opts.profile ? { profile: opts.profile } : {}),
      ...(opts.statePath ? { statePath: opts.statePath } : {}),
    });
    const slotMs = opts.slotMs ?? (opts.profile ? LOCALNET_PROFILES[opts.profile].slotMs : 400);
    const shape = opts.profile ? `, profile ${opts.profile}` : "";
    io.stderr.write(
      `localnet ready: ${localnet.url}${localnet.wsUrl ? ` (ws ${localnet.wsUrl})` : ""}, slot ${slotMs} ms${shape}; faults at ${localnet.url}/__localnet/faults\n`,
    );
    await shutdown.received;
    await localnet.stop();
    return EXIT_OK;
  } finally {
    shutdown.dispose();
  }
}
