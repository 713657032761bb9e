/**
 * The supervisor: runs the crank loop and heals it within bounds.
 *
 * A crash is the loop's start() rejecting, resolving without a stop request, createLoop()
 * throwing, or a fault reported from outside (reportFault: an unhandled rejection or uncaught
 * exception routed here by the process wiring). After a crash the supervisor stops what is left
 * of the loop, waits a cooldown (restartCooldownMs doubling per restart in the window, capped at
 * maxCooldownMs) and starts a fresh loop. At most maxRestarts restarts per windowMs: the next
 * crash opens the circuit instead: the store's control row is set halted (every instance and
 * /readyz see it), and the supervisor waits, polling the control row every haltPollMs, until
 * an operator clears the halt (POST /admin/api/courier/resume or `courier resume`). Then it
 * records the override, forgets the window and restarts.
 *
 * Every decision is an audit event in the store (kind `supervisor.*`) and a log line. A store
 * that cannot be written does not stop the decision: it is logged and the supervisor goes on.
 *
 * States: running (a loop is up), restarting (cooling down before the next loop), halted (the
 * circuit is open), stopped (stop() was called, or not started yet).
 */
import type { Logger } from "pino";
import { CourierError, coerceError } from "../errors.js";
import type { Clock, Store } from "../types.js";

export type SupervisorState = "running" | "restarting" | "halted" | "stopped";

/** What the supervisor runs: one incarnation of the crank loop. */
export interface SupervisedLoop {
  /** Runs the loop; resolves when stopped (anything else is a crash). */
  start(): Promise<void>;
  /** Graceful stop; also called after a crash so the remains can clean up. */
  stop(): Promise<void>;
}

export interface SupervisorOptions {
  /** A fresh loop per (re)start. */
  createLoop: () => SupervisedLoop;
  store: Pick<Store, "audit" | "getControl" | "setHalted">;
  clock: Clock;
  logger: Logger;
  instanceId: string;
  /** First restart cooldown; doubles per restart already in the window (default 1000). */
  restartCooldownMs?: number;
  /** Longest restart cooldown (default 30000). */
  maxCooldownMs?: number;
  /** Restarts allowed per window before the circuit opens (default 5). */
  maxRestarts?: number;
  /** The window restarts are counted in (default 5 minutes). */
  windowMs?: number;
  /** How often a halted supervisor reads the control row to see the halt cleared (default 1000). */
  haltPollMs?: number;
  /** How long stop() waits for a loop's stop after a crash or a stop request (default 15000). */
  stopTimeoutMs?: number;
}

export type SupervisorEvents = { state: SupervisorState };

export interface Supervisor {
  /** Runs the supervised loop; resolves when stop() has finished. Never rejects. */
  start(): Promise<void>;
  stop(): Promise<void>;
  state(): SupervisorState;
  /** Restarts counted in the current window. */
  restartsInWindow(): number;
  /** Route a fault raised outside the loop's promise (e.g. an unhandled rejection) here: it counts as a crash. */
  reportFault(error: unknown): void;
  on<E extends keyof SupervisorEvents>(event: E, fn: (value: SupervisorEvents[E]) => void): () => void;
}

export const DEFAULT_SUPERVISOR = {
  restartCooldownMs: 1_000,
  maxCooldownMs: 30_000,
  maxRestarts: 5,
  windowMs: 5 * 60_000,
  haltPollMs: 1_000,
  stopTimeoutMs: 15_000,
} as const satisfies Required<Omit<SupervisorOptions, "createLoop" | "store" | "clock" | "logger" | "instanceId">>;

export function createSupervisor(opts: SupervisorOptions): Supervisor {
  const { store, clock, instanceId } = opts;
  const restartCooldownMs = positive("restartCooldownMs", opts.restartCooldownMs ?? DEFAULT_SUPERVISOR.restartCooldownMs);
  const maxCooldownMs = Math.max(restartCooldownMs, opts.maxCooldownMs ?? DEFAULT_SUPERVISOR.maxCooldownMs);
  const maxRestarts = Math.floor(nonNegative("maxRestarts", opts.maxRestarts ?? DEFAULT_SUPERVISOR.maxRestarts));
  const windowMs = positive("windowMs", opts.windowMs ?? DEFAULT_SUPERVISOR.windowMs);
  const haltPollMs = positive("haltPollMs", opts.haltPollMs ?? DEFAULT_SUPERVISOR.haltPollMs);
  const stopTimeoutMs = positive("stopTimeoutMs", opts.stopTimeoutMs ?? DEFAULT_SUPERVISOR.stopTimeoutMs);
  const log = opts.logger.child({ component: "supervisor", instance: instanceId });
  const listeners = new Set<(s: SupervisorState) => void>();

  let current: SupervisorState = "stopped";
  let restarts: number[] = [];
  let stopRequested = false;
  let main: Promise<void> | null = null;
  let loop: SupervisedLoop | null = null;
  /** Aborts the cooldown / halt sleep on stop(). */
  const stopSignal = new AbortController();
  /** Settles the wait for the running loop when a fault is reported from outside. */
  let faultInLoop: ((error: CourierError) => void) | null = null;

  function setState(next: SupervisorState): void {
    if (next === current) return;
    const previous = current;
    current = next;
    log.info({ state: next, previous }, "supervisor.state");
    for (const fn of listeners) fn(next);
  }

  async function record(kind: string, data: Record<string, unknown>, level: "info" | "warn" | "error"): Promise<void> {
    log[level]({ ...data }, kind);
    try {
      await store.audit({ at: clock.now(), instance: instanceId, kind, op_id: null, data });
    } catch (e) {
      // The decision stands even when it cannot be persisted (e.g. the store is the fault).
      log.warn({ kind, error: coerceError(e).toJSON() }, "supervisor.audit_failed");
    }
  }

  /** Runs one loop until it ends; returns the crash, or null when it ended on a stop request. */
  async function runOnce(): Promise<CourierError | null> {
    let l: SupervisedLoop;
    try {
      l = opts.createLoop();
    } catch (e) {
      return coerceError(e);
    }
    loop = l;
    setState("running");
    const fault = new Promise<CourierError>((resolve) => {
      faultInLoop = resolve;
    });
    let started: Promise<void>;
    try {
      started = l.start();
    } catch (e) {
      started = Promise.reject(e);
    }
    const ended = await Promise.race([
      started.then(
        () => null,
        (e: unknown) => coerceError(e),
      ),
      fault,
    ]);
    faultInLoop = null;
    if (stopRequested) return null;
    if (ended !== null) return ended;
    return new CourierError("COURIER__UNKNOWN", "the crank loop ended without a stop request");
  }

  /** Stop what is left of a crashed loop, bounded: its attempts and leases must settle before a new loop starts. */
  async function stopLoop(l: SupervisedLoop | null): Promise<void> {
    if (!l) return;
    const done = new AbortController();
    const stopping = l.stop().then(
      () => null,
      (e: unknown) => coerceError(e),
    );
    void stopping.then(() => done.abort());
    await clock.sleep(stopTimeoutMs, done.signal);
    if (!done.signal.aborted) {
      log.warn({ timeout_ms: stopTimeoutMs }, "supervisor.loop_stop_timeout");
      return;
    }
    const error = await stopping;
    if (error) log.warn({ error: error.toJSON() }, "supervisor.loop_stop_failed");
  }

  function pruneWindow(now: number): void {
    restarts = restarts.filter((t) => now - t < windowMs);
  }

  /** Open the circuit and wait until the halt is cleared in the store. True when overridden, false on stop. */
  async function haltAndWait(crash: CourierError): Promise<boolean> {
    const reason = `supervisor: ${restarts.length} restarts within ${windowMs} ms; last crash ${crash.code}: ${crash.message}`.slice(0, 500);
    setState("halted");
    const haltedAt = clock.now();
    let persisted = await persistHalt(reason);
    await record("supervisor.halted", { reason, restarts_in_window: restarts.length, max_restarts: maxRestarts, window_ms: windowMs, error: crash.toJSON(), persisted }, "error");
    while (!stopRequested) {
      await clock.sleep(haltPollMs, stopSignal.signal);
      if (stopRequested) return false;
      if (!persisted) {
        persisted = await persistHalt(reason);
        continue;
      }
      try {
        const control = await store.getControl();
        if (!control.halted) {
          await record("supervisor.override", { halted_reason: reason, waited_ms: clock.now() - haltedAt }, "warn");
          return true;
        }
      } catch (e) {
        // A store that cannot be read cannot tell us the halt was cleared: keep waiting.
        log.warn({ error: coerceError(e).toJSON() }, "supervisor.control_read_failed");
      }
    }
    return false;
  }

  async function persistHalt(reason: string): Promise<boolean> {
    try {
      await store.setHalted({ halted: true, reason, now: clock.now() });
      return true;
    } catch (e) {
      log.error({ error: coerceError(e).toJSON() }, "supervisor.halt_write_failed");
      return false;
    }
  }

  async function run(): Promise<void> {
    while (!stopRequested) {
      const crash = await runOnce();
      const crashed = loop;
      loop = null;
      // A stop request: stop() stops the loop itself.
      if (crash === null || stopRequested) break;
      const now = clock.now();
      pruneWindow(now);
      await record("supervisor.crash", { error: crash.toJSON(), restarts_in_window: restarts.length, max_restarts: maxRestarts }, "error");
      await stopLoop(crashed);
      if (stopRequested) break;
      if (restarts.length >= maxRestarts) {
        await record("supervisor.restart_blocked", { restarts_in_window: restarts.length, max_restarts: maxRestarts, window_ms: windowMs }, "error");
        if (!(await haltAndWait(crash))) break;
        restarts = [];
        await record("supervisor.restart", { after: "override", restarts_in_window: 0 }, "warn");
        continue;
      }
      const cooldownMs = Math.min(maxCooldownMs, restartCooldownMs * 2 ** restarts.length);
      setState("restarting");
      await record("supervisor.restart_scheduled", { cooldown_ms: cooldownMs, restarts_in_window: restarts.length, max_restarts: maxRestarts }, "warn");
      await clock.sleep(cooldownMs, stopSignal.signal);
      if (stopRequested) break;
      restarts.push(clock.now());
      await record("supervisor.restart", { after: "cooldown", restarts_in_window: restarts.length, max_restarts: maxRestarts }, "warn");
    }
    setState("stopped");
  }

  return {
    start() {
      if (main) return main;
      if (stopRequested) return Promise.resolve();
      main = run().catch((e: unknown) => {
        // run() handles every failure it knows; this guards a throwing state listener.
        log.error({ error: coerceError(e).toJSON() }, "supervisor.failed");
        setState("stopped");
      });
      return main;
    },
    async stop() {
      stopRequested = true;
      stopSignal.abort();
      const l = loop;
      if (l) await stopLoop(l);
      // A loop whose start() still has not settled after its bounded stop must not hold stop() forever.
      faultInLoop?.(new CourierError("COURIER__UNKNOWN", "supervisor stopped while the loop did not end"));
      if (main) await main;
      else setState("stopped");
    },
    state: () => current,
    restartsInWindow: () => {
      pruneWindow(clock.now());
      return restarts.length;
    },
    reportFault(error) {
      const err = coerceError(error);
      if (faultInLoop) {
        faultInLoop(err);
        faultInLoop = null;
      } else {
        // Not inside a loop (cooling down, halted, stopped): nothing to restart; keep a trace.
        log.error({ error: err.toJSON(), state: current }, "supervisor.fault_outside_loop");
      }
    },
    on(event, fn) {
      if (event !== "state") throw new CourierError("COURIER__VALIDATION", `createSupervisor: unknown event ${String(event)}`);
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}

function positive(name: string, v: number): number {
  if (!Number.isFinite(v) || v <= 0) throw new CourierError("COURIER__CONFIG", `createSupervisor: ${name} must be a positive number, got ${v}`, { option: name });
  return v;
}

function nonNegative(name: string, v: number): number {
  if (!Number.isFinite(v) || v < 0) throw new CourierError("COURIER__CONFIG", `createSupervisor: ${name} must be zero or more, got ${v}`, { option: name });
  return v;
}
