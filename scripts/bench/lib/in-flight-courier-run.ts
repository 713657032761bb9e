/**
 * Peak RSS of a real `courier start` process holding `count` sent transactions in flight: the
 * ops are due at once against a localnet whose slot is long enough (60 s) that nothing confirms
 * while they are sent, so every sent transaction waits for its verdict in the in-flight set. The
 * run ends when `count` ledger entries exist (every op signed, persisted and sent) and none has
 * succeeded; the process is then stopped without waiting for the verdicts.
 */
import { join } from "node:path";
import { startCourierProcess } from "./courier-process.js";
import { seedTransfers } from "./default-courier-run.js";
import { createTempStore } from "./temp-store.js";
import { openRawDatabase } from "./workspace-deps.js";

export interface InFlightRunResult {
  /** Ops with a signed, persisted transaction and no verdict when the figure was taken. */
  inFlight: number;
  /** Ops already succeeded at that moment (0 when the slot held every confirmation back). */
  succeeded: number;
  peakRssBytes: number | null;
  /** RSS at that moment (the peak may come from the sending phase before it). */
  rssBytes: number | null;
  /** RSS high-water mark before the first claim (the process after boot). */
  bootRssBytes: number | null;
}

export async function runInFlightCourier(opts: {
  url: string;
  airdrop(pubkey: string, lamports: number): Promise<void>;
  count: number;
  timeoutMs: number;
  env?: Record<string, string>;
  nodeArgs?: string[];
  /** See CourierProcessOptions.source. */
  source?: boolean;
  /** Called with the Courier process once the transactions are in flight (e.g. to take a heap snapshot). */
  onInFlight?: (pid: number) => Promise<void>;
}): Promise<InFlightRunResult> {
  const temp = await createTempStore("in-flight");
  const keypair = join(temp.dir, "id.json");
  try {
    await seedTransfers(temp, keypair, opts.airdrop, opts.count, 0);
    const db = openRawDatabase(temp.path);
    const courier = startCourierProcess({ db: temp.path, rpcUrl: opts.url, keypair, env: opts.env, nodeArgs: opts.nodeArgs, source: opts.source });
    try {
      const deadline = Date.now() + opts.timeoutMs;
      let bootRss: number | null = null;
      for (;;) {
        const entries = (db.prepare("SELECT count(*) AS n FROM ledger").get() as { n: number }).n;
        if (entries === 0) bootRss = courier.peakRssBytes();
        if (entries >= opts.count) break;
        if (Date.now() > deadline) throw new Error(`courier start: ${entries} of ${opts.count} transactions sent after ${opts.timeoutMs} ms`);
        if (courier.child.exitCode !== null) throw new Error(`courier start exited with ${courier.child.exitCode}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      // Let the last batch's sends go out and the poller take them all in.
      await new Promise((r) => setTimeout(r, 2_000));
      if (opts.onInFlight && courier.child.pid) await opts.onInFlight(courier.child.pid);
      const succeeded = (db.prepare("SELECT count(*) AS n FROM ops WHERE status = 'succeeded'").get() as { n: number }).n;
      const running = (db.prepare("SELECT count(*) AS n FROM ops WHERE status = 'running'").get() as { n: number }).n;
      return { inFlight: running, succeeded, peakRssBytes: courier.peakRssBytes(), rssBytes: courier.rssBytes(), bootRssBytes: bootRss };
    } finally {
      await courier.stop();
      db.close();
    }
  } finally {
    await temp.dispose();
  }
}
