/**
 * The localnet in its own process, so that it and the crank each get a core of the 2-core
 * machine and neither one's CPU time is charged to the other. argv: <slot ms> [ws].
 * Sends "ready" with its URL; answers "airdrop", "counts", "reset-counts", "tx-count" and
 * "stop" (replying "stopped").
 */
import { onParentMessage, sendToParent } from "../lib/child.js";
import { startLocalnet } from "../lib/localnet.js";

async function main(): Promise<void> {
  const slotMs = Number(process.argv[2] ?? 400);
  // argv[3] "ws": also serve websockets (web3.js confirmTransaction subscribes to signatures).
  const localnet = await startLocalnet({ port: 0, slotMs, websocket: process.argv[3] === "ws" });
  onParentMessage("airdrop", (m) => {
    localnet.airdrop(String(m.pubkey), Number(m.lamports));
    void sendToParent({ type: "airdropped" });
  });
  onParentMessage("counts", () => {
    void sendToParent({ type: "counts", counts: localnet.requestCounts(), transactions: localnet.transactionCount() });
  });
  onParentMessage("reset-counts", () => {
    localnet.resetRequestCounts();
    void sendToParent({ type: "counts-reset" });
  });
  onParentMessage("stop", () => {
    void (async () => {
      await localnet.stop();
      await sendToParent({ type: "stopped" });
      process.disconnect?.();
    })();
  });
  await sendToParent({ type: "ready", url: localnet.url });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
