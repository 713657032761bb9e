/** `courier localnet`: the embedded cluster alone, in the foreground, until SIGINT/SIGTERM. */
import { startLocalnet } from "@courier/localnet";
import { EXIT_OK } from "./cli/exit-codes.js";
import type { CliIo } from "./cli/io.js";
import { createShutdownSignal } from "./wiring/shutdown-signal.js";

export interface LocalnetCommandOptions {
  port: number;
  slotMs: number;
  statePath: string | null;
}

export async function runLocalnet(opts: LocalnetCommandOptions, io: CliIo): Promise<number> {
  const shutdown = createShutdownSignal(() => process.exit(1));
  try {
    const localnet = await startLocalnet({
      host: "127.0.0.1",
      port: opts.port,
      slotMs: opts.slotMs,
      ...(opts.statePath ? { statePath: opts.statePath } : {}),
    });
    io.stderr.write(
      `localnet ready: ${localnet.url}${localnet.wsUrl ? ` (ws ${localnet.wsUrl})` : ""}, slot ${opts.slotMs} ms; faults at ${localnet.url}/__localnet/faults\n`,
    );
    await shutdown.received;
    await localnet.stop();
    return EXIT_OK;
  } finally {
    shutdown.dispose();
  }
}
