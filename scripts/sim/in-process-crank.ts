/**
 * A crank in this process, wired like `courier start` wires it (same pool, executor and crank
 * defaults) so the figures are the product's, not a tuned test rig's. Used by the scenarios that
 * need no process boundary; crash and multi drive real `courier start` processes instead.
 */
import { type Crank, createCrank, systemClock } from "./workspace.js";
import { createRpcPool, createSolanaExecutor, type RpcPool, type RpcPoolOptions, type SolanaExecutor } from "./workspace.js";
import type { SimWorld } from "./sim-world.js";

export interface InProcessCrank {
  crank: Crank;
  pool: RpcPool;
  executor: SolanaExecutor;
  /** Graceful stop (in-flight work finishes), then the executor and the pool close. */
  stop(): Promise<void>;
}

export function startInProcessCrank(world: SimWorld, opts: { instanceId: string; pool?: Partial<RpcPoolOptions> }): InProcessCrank {
  const logger = world.logger.child({ instance: opts.instanceId });
  const pool = createRpcPool({ urls: [world.cluster.url], clock: systemClock, logger: logger.child({ component: "rpc" }), ...opts.pool });
  const executor = createSolanaExecutor({
    pool,
    store: world.store,
    signer: world.cluster.signer,
    instance: opts.instanceId,
    clock: systemClock,
    logger: logger.child({ component: "executor" }),
  });
  const crank = createCrank({ store: world.store, executor, clock: systemClock, logger, instanceId: opts.instanceId });
  const running = crank.start();
  let stopped: Promise<void> | null = null;
  return {
    crank,
    pool,
    executor,
    stop() {
      stopped ??= (async () => {
        await crank.stop();
        await running.catch(() => undefined);
        executor.stop();
        await pool.close();
      })();
      return stopped;
    },
  };
}
