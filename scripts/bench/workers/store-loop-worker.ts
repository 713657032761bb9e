/**
 * One claiming process of the SQLite side of the PostgreSQL comparison. argv: <db path> <owner>.
 * Opens the store, sends "ready", and on "go" claims and finishes (claimDue + one finishAttempts
 * per batch, the same store traffic as the PostgreSQL claim worker) until nothing is due, then
 * sends "done" with what it finished and its wall-clock window.
 */
import { onParentMessage, sendToParent } from "../lib/child.js";
import { openSqliteStore } from "../lib/courier.js";
import { runStoreLoop } from "../lib/store-loop.js";

async function main(): Promise<void> {
  const [path, owner, batch] = process.argv.slice(2);
  if (!path || !owner) throw new Error("usage: store-loop-worker <db> <owner> [batch]");
  const store = await openSqliteStore(path);
  onParentMessage("go", () => {
    void (async () => {
      const started_at = Date.now();
      const result = await runStoreLoop(store, { batchSize: Number(batch ?? 256), owner });
      const ended_at = Date.now();
      await store.close();
      await sendToParent({ type: "done", finished: result.finished, started_at, ended_at });
      process.disconnect?.();
    })();
  });
  await sendToParent({ type: "ready" });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
