/**
 * crash: a real `courier start` process works through transfers due at a steady pace and is
 * SIGKILLed mid-run, preferably right after it signed or sent a transaction it has no answer
 * for yet; a fresh process then starts on the same store, reclaims what the dead one held once
 * its lease expires, resolves it through the transaction ledger, and finishes the rest.
 */
import type { Op, SqliteStore } from "../workspace.js";
import { type CrankProcess, spawnCrankProcess } from "../crank-process.js";
import { sleep, waitForPlanned } from "../sim-world.js";
import { getSettleMs, getTransferLamports, openProcessRpc, type Scenario, type ScenarioSize } from "./scenario.js";

const LEASE_MS = 2_000;
const shape = (s: ScenarioSize) => (s.smoke ? { count: 8, spacingMs: 200 } : { count: 40, spacingMs: 200 });

export const crashScenario: Scenario = {
  name: "crash",
  needsLocalnet: false,
  countRuns: (s) => shape(s).count,
  describe: (s) =>
    `${shape(s).count} transfers due one every ${shape(s).spacingMs} ms through a courier process that is SIGKILLed mid-run and restarted (lease ${LEASE_MS} ms)`,
  async run(ctx) {
    const { count, spacingMs } = shape(ctx);
    const { world } = ctx;
    const procs: CrankProcess[] = [];
    const rpc = await openProcessRpc(world);
    try {
      const first = spawnCrankProcess(world, { instanceId: "crank-1", leaseMs: LEASE_MS, rpcUrl: rpc.url });
      procs.push(first);
      // The replacement loads alongside (warm: it starts only on go()), so the restart costs
      // its wiring, not a second module load of seconds (many more on a loaded machine).
      const second = spawnCrankProcess(world, { instanceId: "crank-2", leaseMs: LEASE_MS, rpcUrl: rpc.url, warm: true });
      procs.push(second);
      await Promise.all([first.ready, second.loaded]);
      // 1.5 s of lead: a crank process only learns of new ops at its next idle poll (≤ 1 s).
      const firstDue = Date.now() + 1_500;
      for (let i = 0; i < count; i++) {
        await world.scheduleTransfer({ lamports: getTransferLamports(i), schedule: { run_at: firstDue + i * spacingMs } });
      }
      world.progress(`crash: ${count} transfers scheduled; waiting for crank-1 to be mid-send`);
      const victim = await findOpMidSend(world.store, first.name, firstDue + Math.floor(count / 3) * spacingMs, 30_000);
      const held = (await world.store.listOps({ status: "running", limit: 1_000 })).ops.filter((o) => o.lease_owner === first.name);
      await first.kill9();
      const killedAt = Date.now();
      world.progress(`crash: crank-1 SIGKILLed holding ${held.length} op(s)${victim ? `, ${victim.id} with a transaction in flight` : ""}`);
      second.go();
      await second.ready;
      const restartMs = Date.now() - killedAt;
      const open = await waitForPlanned(world, count * spacingMs + getSettleMs(ctx), "crash");
      const exit = await second.term(30_000);
      return {
        requests: rpc.requests(),
        details: {
          killed: `crank-1 holding ${held.length} op(s) (${victim ? "one mid-send" : "none caught mid-send"}); crank-2 ready ${restartMs} ms later`,
          crank_2_exit: exit,
          ...(open > 0 ? { open_at_deadline: open } : {}),
        },
      };
    } finally {
      await Promise.all(procs.map((p) => p.kill9()));
      await rpc.close();
    }
  },
};

/**
 * Wait (not before `notBefore`, at most `timeoutMs`) until `owner` runs an op whose current run
 * has a signed or sent ledger entry: the moment a crash is hardest to recover from.
 */
async function findOpMidSend(store: SqliteStore, owner: string, notBefore: number, timeoutMs: number): Promise<Op | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < notBefore) await sleep(20);
  while (Date.now() < deadline) {
    const running = (await store.listOps({ status: "running", limit: 1_000 })).ops.filter((o) => o.lease_owner === owner);
    for (const op of running) {
      const entries = await store.getLedgerEntries(op.id, op.run);
      if (entries.some((e) => e.state === "signed" || e.state === "sent")) return op;
    }
    await sleep(10);
  }
  return null;
}
