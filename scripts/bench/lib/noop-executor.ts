import type { Executor } from "./courier.js";

/** An executor that does nothing and succeeds: what is left to measure is the crank and the store. */
export function createNoopExecutor(onExecute?: (opId: string) => void): Executor {
  return {
    async execute(op) {
      onExecute?.(op.id);
      return { outcome: "ok" };
    },
  };
}
