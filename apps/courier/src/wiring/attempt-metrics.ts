/**
 * Feeds the admin metrics from the executor's side of each attempt: outcome, latency and how
 * late the attempt started after its op was due. Wrapping the executor keeps the crank free of
 * any metrics dependency.
 */
import type { AdminMetrics } from "@courier/admin";
import type { Clock, ExecResult, Executor } from "@courier/agent";

export function withAttemptMetrics(executor: Executor, metrics: AdminMetrics, clock: Clock): Executor {
  return {
    execute(op, ctx): Promise<ExecResult> {
      const started = clock.now();
      metrics.observeDispatchLag(started - op.due_at);
      // Chained, not awaited: a run in flight keeps no suspended frame here.
      return executor.execute(op, ctx).then((result) => {
        metrics.observeAttempt({ action: op.action, outcome: result.outcome, latency_ms: clock.now() - started });
        return result;
      });
    },
  };
}
