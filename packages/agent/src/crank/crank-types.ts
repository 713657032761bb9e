/** The crank's public shapes: its options, states, events and handle (see crank.ts). */
import type { Logger } from "pino";
import type { Clock, CrankStore, Executor, TickSummary } from "../types.js";
import type { OpEventsHook } from "./attempt.js";
import type { BackoffConfig } from "./backoff.js";
import type { CooldownConfig } from "./cooldown.js";
import type { LifecycleConfig } from "./lifecycle.js";

export type CrankState = "starting" | "running" | "paused" | "cooling_down" | "halted" | "stopping" | "stopped";

export interface CrankOptions {
  store: CrankStore;
  executor: Executor;
  clock: Clock;
  logger: Logger;
  instanceId: string;
  /** Ops executed at once by this process (default 16). */
  concurrency?: number;
  /** Most ops claimed per tick (default 64). */
  batchSize?: number;
  /**
   * Claimed-but-not-started ops held beyond the concurrency slots (default
   * min(batchSize, max(concurrency * 4, 64))); at most batchSize. 0 claims only free slots.
   */
  prefetch?: number;
  /**
   * Ops held at most, counting those whose transaction is sent and that only wait for their
   * verdict without a concurrency slot (default max(10,240, concurrency × 64): ten thousand sent transactions awaiting their verdicts, each a small record).
   */
  maxInFlight?: number;
  /** Claim lease, renewed every leaseMs / 3 while executing (default 30000). */
  leaseMs?: number;
  /** Longest sleep between ticks (default 1000). */
  maxIdleMs?: number;
  backoff?: BackoffConfig;
  /** Uniform [0, 1) source for backoff jitter (default Math.random). */
  random?: () => number;
  /** Probe interval while in infra cooldown: initialMs doubling to maxMs. */
  infraCooldown?: CooldownConfig;
  /** How long stop() waits for in-flight attempts (default 10000). */
  shutdownGraceMs?: number;
  /** Instance heartbeat interval (default 5000). */
  heartbeatMs?: number;
  /**
   * Delete this instance's heartbeat row on stop (default true). A process that outlives its
   * crank (a supervisor restarting or halted) keeps the row and heartbeats itself, so tools
   * such as `courier restore` still see it alive.
   */
  removeInstanceOnStop?: boolean;
  /** An idle tick is recorded at most this often (default 60000). */
  idleTickRecordMs?: number;
  /** Busy iterations are recorded (aggregated) at most this often (default 1000). */
  tickRecordMs?: number;
  /** Misfire / ambiguous-delay settings (see lifecycle.ts). */
  lifecycle?: Partial<Omit<LifecycleConfig, "backoff" | "random">>;
  /** Put op webhook events in the outbox with each finish (off by default: no receiver, no events). */
  opEvents?: OpEventsHook;
}

export type CrankEvents = {
  state: CrankState;
  tick: TickSummary;
  /** The loop goes to sleep with nothing in flight (tests use it to know the crank is quiet). */
  idle: { sleep_ms: number };
};

export interface Crank {
  /** Runs the loop; resolves when stopped. */
  start(): Promise<void>;
  /** Graceful stop; resolves when start() has. */
  stop(): Promise<void>;
  /** An op was scheduled by this process: re-evaluate the sleep now. */
  wake(): void;
  state(): CrankState;
  /** Ops held by this process (claimed and not yet finished or released). */
  inFlight(): number;
  on<E extends keyof CrankEvents>(event: E, fn: (value: CrankEvents[E]) => void): () => void;
  /** Run one tick now, outside the loop (tests; a second claim path). Returns its summary. */
  tick(opts?: { limit?: number }): Promise<TickSummary>;
  /** Resolves when every attempt in flight now has ended. */
  drain(): Promise<void>;
}

