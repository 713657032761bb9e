/**
 * A crank process for the multi-process claim benchmark. argv: <db path> <instance id>
 * <concurrency> <batch size>. Opens the store, sends "ready", starts the crank on "go", and on
 * "stop" stops it and sends "done" with the attempts it finished and executed and its CPU time.
 */
import { onParentMessage, sendToParent } from "../lib/child.js";
import { createCountingStore } from "../lib/counting-store.js";
import { createCrank, openSqliteStore, systemClock } from "../lib/courier.js";
import { createNoopExecutor } from "../lib/noop-executor.js";
import { getCpuMs } from "../lib/timing.js";
import { createSilentLogger } from "../lib/workspace-deps.js";

async function main(): Promise<void> {
  const [path, instanceId, concurrency, batchSize] = process.argv.slice(2);
  if (!path || !instanceId) throw new Error("usage: crank-worker <db> <instance> <concurrency> <batch>");
  const store = await openSqliteStore(path);
  const counting = createCountingStore(store);
  let executed = 0;
  const crank = createCrank({
    store: counting.store,
    executor: createNoopExecutor(() => {
      executed++;
    }),
    clock: systemClock,
    logger: createSilentLogger(),
    instanceId,
    concurrency: Number(concurrency),
    batchSize: Number(batchSize),
    leaseMs: 60_000,
  });
  let loop: Promise<void> | null = null;
  let cpuAtGo = 0;
  onParentMessage("go", () => {
    cpuAtGo = getCpuMs();
    loop = crank.start();
  });
  onParentMessage("stop", () => {
    void (async () => {
      const cpuMs = getCpuMs() - cpuAtGo;
      await crank.stop();
      await loop;
      await store.close();
      await sendToParent({ type: "done", finished: counting.finished, executed, cpu_ms: cpuMs });
      process.disconnect?.();
    })();
  });
  await sendToParent({ type: "ready" });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
