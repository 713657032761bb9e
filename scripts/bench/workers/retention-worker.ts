/**
 * The pruning process of the retention benchmark. argv: <db path> <retention days> <batch size>.
 * Opens the store, sends "ready", and on "go" runs one retention pass (the production pruner,
 * createRetention, with its default pauses), then sends "done" with the pass summary.
 */
import { onParentMessage, sendToParent } from "../lib/child.js";
import { createRetention, openSqliteStore, systemClock } from "../lib/courier.js";
import { createSilentLogger } from "../lib/workspace-deps.js";

async function main(): Promise<void> {
  const [path, days, batch] = process.argv.slice(2);
  if (!path || !days) throw new Error("usage: retention-worker <db> <days> [batch]");
  const store = await openSqliteStore(path);
  const retention = createRetention({
    store,
    clock: systemClock,
    logger: createSilentLogger(),
    retentionDays: Number(days),
    ...(batch ? { batchSize: Number(batch) } : {}),
  });
  onParentMessage("go", () => {
    void (async () => {
      const started_at = Date.now();
      const pass = await retention.runPass();
      const ended_at = Date.now();
      await store.close();
      await sendToParent({ type: "done", pass, started_at, ended_at });
      process.disconnect?.();
    })();
  });
  await sendToParent({ type: "ready" });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
