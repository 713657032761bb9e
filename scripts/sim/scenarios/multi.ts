/**
 * multi: three `courier start` processes on one SQLite store share a burst of transfers due at
 * once and a stream due over the next seconds. The atomic claim must hand each run to exactly
 * one of them; the report shows how the work was shared.
 */
import { type CrankProcess, spawnCrankProcess } from "../crank-process.js";
import { waitForPlanned } from "../sim-world.js";
import { getSettleMs, getTransferLamports, openProcessRpc, type Scenario, type ScenarioSize } from "./scenario.js";

const PROCESSES = 3;
const shape = (s: ScenarioSize) => (s.smoke ? { burst: 6, stream: 3, spacingMs: 300 } : { burst: 30, stream: 30, spacingMs: 200 });

export const multiScenario: Scenario = {
  name: "multi",
  needsLocalnet: false,
  countRuns: (s) => shape(s).burst + shape(s).stream,
  describe: (s) =>
    `${PROCESSES} courier processes on one store: ${shape(s).burst} transfers due at once, then ${shape(s).stream} due one every ${shape(s).spacingMs} ms`,
  async run(ctx) {
    const { burst, stream, spacingMs } = shape(ctx);
    const { world } = ctx;
    const procs: CrankProcess[] = [];
    const rpc = await openProcessRpc(world);
    try {
      for (let i = 1; i <= PROCESSES; i++) procs.push(spawnCrankProcess(world, { instanceId: `crank-${i}`, leaseMs: 10_000, rpcUrl: rpc.url }));
      await Promise.all(procs.map((p) => p.ready));
      // 1.5 s of lead: a crank process only learns of new ops at its next idle poll (≤ 1 s).
      const firstDue = Date.now() + 1_500;
      for (let i = 0; i < burst + stream; i++) {
        const at = i < burst ? firstDue : firstDue + (i - burst + 1) * spacingMs;
        await world.scheduleTransfer({ lamports: getTransferLamports(i), schedule: { run_at: at } });
      }
      world.progress(`multi: ${burst + stream} transfers scheduled for ${PROCESSES} processes`);
      const open = await waitForPlanned(world, stream * spacingMs + getSettleMs(ctx), "multi");
      const exits = await Promise.all(procs.map((p) => p.term(30_000)));
      return {
        requests: rpc.requests(),
        details: { processes: PROCESSES, exits: exits.join(", "), ...(open > 0 ? { open_at_deadline: open } : {}) },
      };
    } finally {
      await Promise.all(procs.map((p) => p.kill9()));
      await rpc.close();
    }
  },
};
