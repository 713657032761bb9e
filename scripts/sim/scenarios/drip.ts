/** drip: one interval op (every_ms with max_exec), the same recipient paid on every run. */
import { getSettleMs, getTransferLamports, runWithInProcessCrank, type Scenario, type ScenarioSize } from "./scenario.js";

// Smoke runs stay 1.5 s apart: two runs of one transfer op that share a blockhash build the same
// transaction (same signature), which the executor cannot land twice (see docs/simulations.md).
const shape = (s: ScenarioSize) => (s.smoke ? { everyMs: 1_500, runs: 3 } : { everyMs: 2_000, runs: 30 });

export const dripScenario: Scenario = {
  name: "drip",
  needsLocalnet: false,
  countRuns: (s) => shape(s).runs,
  describe: (s) => `one transfer of ~0.001 SOL every ${shape(s).everyMs / 1000} s × ${shape(s).runs} (every_ms ${shape(s).everyMs}, max_exec ${shape(s).runs})`,
  run: (ctx) => {
    const { everyMs, runs } = shape(ctx);
    return runWithInProcessCrank(ctx, everyMs * runs + getSettleMs(ctx), async (c) => {
      const plan = await ctx.world.scheduleTransfer({
        lamports: getTransferLamports(0),
        runs,
        schedule: { every_ms: everyMs, max_exec: runs, delay_ms: 1_000 },
      });
      c.crank.wake();
      ctx.world.progress(`drip: ${runs} runs every ${everyMs} ms from ${new Date(plan.op.next_exec).toISOString()}`);
      return { every_ms: everyMs };
    });
  },
};
