/**
 * The process's own heartbeat, beside the crank's:
 * - While no crank loop runs (the supervisor is cooling down or halted) it keeps this
 *   instance's row fresh, so `courier restore` sees a live process whatever its state.
 * - Every beat it checks that the SQLite file at COURIER_DB is still the file it opened (device
 *   and inode). A file replaced under a live process (a restore, a copy over it, a move) means
 *   its connection writes to a file nobody reads any more: `onReplaced` puts the process in safe
 *   mode (no claims, no sends) until it is restarted on the new file.
 */
import { type Stats, statSync } from "node:fs";
import { type Clock, type Store, coerceError } from "@courier/agent";
import type { Logger } from "pino";

export interface FileIdentity {
  dev: number;
  ino: number;
}

export interface ProcessHeartbeatOptions {
  store: Pick<Store, "heartbeat" | "removeInstance">;
  clock: Clock;
  logger: Logger;
  instanceId: string;
  intervalMs: number;
  /** The SQLite file and its identity when opened; null for PostgreSQL. */
  file: { path: string; identity: FileIdentity } | null;
  /** A crank loop is running (it heartbeats itself then). */
  crankRunning: () => boolean;
  inFlight: () => number;
  onReplaced: (detail: string) => void;
}

export interface ProcessHeartbeat {
  /** One beat now (also run by the timer). */
  beat(): Promise<void>;
  /** Stops the timer and deletes this instance's row: the process is leaving. */
  stop(): Promise<void>;
}

export function getFileIdentity(path: string): FileIdentity | null {
  let st: Stats;
  try {
    st = statSync(path);
  } catch {
    return null;
  }
  return { dev: st.dev, ino: st.ino };
}

export function startProcessHeartbeat(opts: ProcessHeartbeatOptions): ProcessHeartbeat {
  const startedAt = opts.clock.now();
  let replaced = false;
  let stopped = false;

  function checkIdentity(): void {
    if (!opts.file || replaced) return;
    const now = getFileIdentity(opts.file.path);
    const was = opts.file.identity;
    if (now && now.dev === was.dev && now.ino === was.ino) return;
    replaced = true;
    const detail = now
      ? `${opts.file.path} is no longer the file this process opened (device/inode ${was.dev}/${was.ino}, now ${now.dev}/${now.ino}): it was replaced, e.g. by a restore`
      : `${opts.file.path} no longer exists: the file this process opened was moved or deleted`;
    opts.logger.error({ path: opts.file.path, was, now }, "store.file_replaced");
    opts.onReplaced(detail);
  }

  async function beat(): Promise<void> {
    checkIdentity();
    if (stopped || opts.crankRunning()) return;
    try {
      await opts.store.heartbeat({ instance: opts.instanceId, started_at: startedAt, now: opts.clock.now(), in_flight: opts.inFlight(), ticked: false });
    } catch (e) {
      // Safe mode refuses writes to a damaged or replaced file: nothing to do but keep checking.
      opts.logger.debug({ error: coerceError(e).toJSON() }, "courier.heartbeat_failed");
    }
  }

  const wake = new AbortController();
  const loop = (async () => {
    while (!stopped) {
      await opts.clock.sleep(opts.intervalMs, wake.signal);
      if (!stopped) await beat();
    }
  })();

  return {
    beat,
    async stop() {
      if (stopped) return;
      stopped = true;
      wake.abort();
      await loop;
      if (replaced) return;
      try {
        await opts.store.removeInstance(opts.instanceId);
      } catch (e) {
        opts.logger.warn({ error: coerceError(e).toJSON() }, "crank.remove_instance_failed");
      }
    },
  };
}
