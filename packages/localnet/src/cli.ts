/** `courier localnet`: the embedded cluster alone, until SIGINT/SIGTERM. */
import { hostname } from "node:os";
import type { LocalnetProfileName } from "./profiles.js";
import { startLocalnet } from "./start-localnet.js";

export interface LocalnetCommandOptions {
  port: number;
  slotMs?: number;
  profile?: LocalnetProfileName;
  statePath?: string;
  host?: string;
  extraPorts?: number[];
  /** Stops the localnet like a signal would (tests, embedding). */
  signal?: AbortSignal;
}

function logLine(fields: Record<string, unknown>, msg: string): void {
  process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), pid: process.pid, hostname: hostname(), ...fields, msg })}\n`);
}

/** Start the localnet, announce its URL, and resolve once it has stopped after SIGINT/SIGTERM. */
export async function runLocalnetCommand(opts: LocalnetCommandOptions): Promise<void> {
  const ln = await startLocalnet({ port: opts.port, slotMs: opts.slotMs, profile: opts.profile, statePath: opts.statePath, host: opts.host, extraPorts: opts.extraPorts });
  process.stderr.write(`localnet listening on ${ln.url}\n`);
  logLine({ url: ln.url, urls: ln.urls, ws_url: ln.wsUrl, slot_ms: opts.slotMs, profile: opts.profile ?? null, state: opts.statePath ?? null }, "localnet.listening");
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      opts.signal?.removeEventListener("abort", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    if (opts.signal?.aborted) stop();
    else opts.signal?.addEventListener("abort", stop, { once: true });
  });
  await ln.stop();
  logLine({ url: ln.url }, "localnet.stopped");
}
