/** payroll: a batch of one-off transfers all due at the same instant (payday, top of the minute). */
import { sleepUntil } from "../sim-world.js";
import { getSettleMs, getTransferLamports, runWithInProcessCrank, type Scenario, type ScenarioSize } from "./scenario.js";

const count = (s: ScenarioSize) => (s.smoke ? 5 : 50);

export const payrollScenario: Scenario = {
  name: "payroll",
  needsLocalnet: false,
  countRuns: count,
  describe: (s) => `${count(s)} one-off transfers of ~0.001 SOL, all due at the same instant`,
  run: (ctx) =>
    runWithInProcessCrank(ctx, getSettleMs(ctx), async (c) => {
      // Scheduled ahead of time like a real payroll, so the burst is the crank's, not the scheduler's.
      const dueAt = Date.now() + (ctx.smoke ? 1_000 : 3_000);
      for (let i = 0; i < count(ctx); i++) {
        await ctx.world.scheduleTransfer({ lamports: getTransferLamports(i), schedule: { run_at: dueAt } });
      }
      c.crank.wake();
      ctx.world.progress(`payroll: ${count(ctx)} transfers due at ${new Date(dueAt).toISOString()}`);
      await sleepUntil(dueAt);
      return { due_at: new Date(dueAt).toISOString() };
    }),
};
