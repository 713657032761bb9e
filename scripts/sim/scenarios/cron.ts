/**
 * cron: a cron op paying one recipient on every slot. Every minute for 5 minutes by default;
 * --fast (and --smoke) use a 6-field per-second pattern so the run takes seconds.
 */
import { getSettleMs, getTransferLamports, runWithInProcessCrank, type Scenario, type ScenarioSize } from "./scenario.js";

// Smoke uses every other second: runs one second apart can share a blockhash and so build the
// same transaction, which the executor cannot land twice (see docs/simulations.md).
const shape = (s: ScenarioSize) =>
  s.smoke
    ? { cron: "*/2 * * * * *", slotMs: 2_000, runs: 3 }
    : { cron: s.fast ? "* * * * * *" : "* * * * *", slotMs: s.fast ? 1_000 : 60_000, runs: 5 };

export const cronScenario: Scenario = {
  name: "cron",
  needsLocalnet: false,
  countRuns: (s) => shape(s).runs,
  describe: (s) => `a cron op "${shape(s).cron}" (UTC) paying ~0.001 SOL on each of ${shape(s).runs} slots`,
  run: (ctx) => {
    const { cron, slotMs, runs } = shape(ctx);
    // The first slot may be up to one period away; then runs - 1 more periods; plus a margin.
    return runWithInProcessCrank(ctx, (runs + 1) * slotMs + getSettleMs(ctx), async (c) => {
      const plan = await ctx.world.scheduleTransfer({
        lamports: getTransferLamports(0),
        runs,
        schedule: { cron, max_exec: runs, delay_ms: 500 },
      });
      c.crank.wake();
      ctx.world.progress(`cron: "${cron}" × ${runs}, first slot ${new Date(plan.op.next_exec).toISOString()}`);
      return { cron };
    });
  },
};
