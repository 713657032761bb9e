import { forkWorker, type WorkerMessage } from "./child.js";
import { readProcessCpuMicros } from "./proc-cpu.js";

export interface LocalnetProcess {
  url: string;
  airdrop(pubkey: string, lamports: number): Promise<void>;
  /** JSON-RPC requests received by method (batch entries counted one by one) and landed transactions. */
  counts(): Promise<{ requests: Record<string, number>; transactions: number }>;
  resetCounts(): Promise<void>;
  /** utime + stime of the localnet's process in microseconds (null where /proc is missing). */
  cpuMicros(): number | null;
  stop(): Promise<void>;
}

/** Start the localnet in a child process (see workers/localnet-worker.ts). */
export async function startLocalnetProcess(slotMs: number, opts: { websocket?: boolean } = {}): Promise<LocalnetProcess> {
  const worker = forkWorker(new URL("../workers/localnet-worker.ts", import.meta.url), [String(slotMs), ...(opts.websocket ? ["ws"] : [])]);
  let ready: WorkerMessage;
  try {
    ready = await worker.next("ready", 60_000);
  } catch (e) {
    worker.child.kill("SIGKILL");
    throw e;
  }
  return {
    url: String(ready.url),
    async airdrop(pubkey, lamports) {
      worker.send({ type: "airdrop", pubkey, lamports });
      await worker.next("airdropped", 10_000);
    },
    async counts() {
      worker.send({ type: "counts" });
      const m = await worker.next("counts", 10_000);
      return { requests: m.counts as Record<string, number>, transactions: Number(m.transactions) };
    },
    async resetCounts() {
      worker.send({ type: "reset-counts" });
      await worker.next("counts-reset", 10_000);
    },
    cpuMicros: () => readProcessCpuMicros(worker.child.pid),
    async stop() {
      if (worker.child.exitCode === null) {
        worker.send({ type: "stop" });
        await worker.next("stopped", 10_000).catch(() => undefined);
      }
      await worker.exited(5_000);
    },
  };
}
