/**
 * The crank loop: a small explicit state machine with an abortable sleep.
 *
 * Each loop iteration (a tick): read the shared control row (paused / halted: no claims);
 * reclaim expired leases (at most every min(maxIdleMs, leaseMs / 3): it is a write); claim due
 * ops; dispatch each through single-flight and the concurrency slots; sleep until the next due op
 * (at most maxIdleMs), woken at once by wake() (this process scheduled an op) or when attempts
 * end. Every iteration yields to the event loop (setImmediate) at least once, so timers (lease
 * renewals, heartbeats, a producer on setTimeout) are never starved by a microtask-only loop.
 *
 * Claims are sized by claim-window.ts: `concurrency` slots build, sign and send; up to
 * `prefetch` claimed ops wait in memory for a slot; a run whose transaction is sent gives its
 * slot back (RunContext.awaitingVerdict) and waits for its verdict in the in-flight set (bounded
 * by maxInFlight), served by the executor's shared status poller. From the executor call on, the
 * attempt's steps are chained onto the executor's promise rather than awaited, and a dispatched
 * attempt's callbacks are one record (Dispatched): a run in flight costs a few hundred bytes
 * here, not a suspended call chain (docs/BENCHMARKS.md §10, memory). A queued or awaiting op is
 * held like a running one: its lease is renewed with the others, it counts in inFlight() and
 * the heartbeat's in_flight, and the claim-time rules (expiry, misfire) run when it starts, with
 * a fresh `now`. On stop() queued ops never start: they are released (attempt refunded). While
 * in infra cooldown a queued op (other than the probe) is released instead of started.
 *
 * Ticks are recorded by tick-recorder.ts; what is pending is recorded before the crank goes
 * quiet (nothing held), on tick() and on stop().
 *
 * Infra: an `infra` result, or a store failure coerced to infra, puts the crank in cooldown
 * (see cooldown.ts): no claims, one probe (a claim of one op, executed) per interval.
 *
 * stop(): stop claiming, then shutdown.ts (grace, abort, release, remove the instance row),
 * then resolve start().
 */
import { type CourierError, coerceError } from "../errors.js";
import type { ClaimedOp, CrankControl, Outcome, TickSummary } from "../types.js";
import { type AttemptReport, type RunAttemptArgs, type StartGate, createAttemptRunner } from "./attempt.js";
import { createClaimWindow } from "./claim-window.js";
import { getCrankSettings } from "./crank-settings.js";
import type { Crank, CrankEvents, CrankOptions, CrankState } from "./crank-types.js";
import { DEFAULT_COOLDOWN, createCooldown } from "./cooldown.js";
import { createFinishBatcher } from "./finish-batcher.js";
import { createLedgerBatcher } from "./ledger-batcher.js";
import { type HeldOp, createHeldOp } from "./held-op.js";
import { createLeaseRenewer } from "./lease-renewer.js";
import { createSingleFlight } from "./single-flight.js";
import { shutdownCrank } from "./shutdown.js";
import { createSlotPool } from "./slot-pool.js";
import { createTickRecorder } from "./tick-recorder.js";

export type { Crank, CrankEvents, CrankOptions, CrankState } from "./crank-types.js";

/** Abort reason of a sleep cut short by wake(). */
const WAKE = "wake";

export function createCrank(opts: CrankOptions): Crank {
  const { store, clock, logger, instanceId } = opts;
  const settings = getCrankSettings(opts);
  const { concurrency, batchSize, leaseMs, maxIdleMs, shutdownGraceMs, heartbeatMs, idleTickRecordMs, tickRecordMs, reclaimIntervalMs, lifecycle } = settings;
  const claimWindow = createClaimWindow({ concurrency, batchSize, prefetch: opts.prefetch, maxInFlight: opts.maxInFlight });
  const log = logger.child({ instance: instanceId });

  const held = new Map<string, HeldOp>();
  const flights = createSingleFlight();
  // Concurrency slots; on stop, queued ops take none (they only see the "shutdown" gate).
  const slots = createSlotPool(concurrency, () => stopRequested);
  const cooldown = createCooldown(opts.infraCooldown ?? DEFAULT_COOLDOWN);
  // Attempts ending together commit together, and so do the ledger entries of transactions
  // signed together (one transaction per batch: finish-batcher.ts, ledger-batcher.ts).
  const finishAttempt = createFinishBatcher(store).finish;
  const ledgerBatcher = createLedgerBatcher(store);
  const runAttempt = createAttemptRunner({ store, executor: opts.executor, clock, logger, instanceId, lifecycle, finishAttempt, opEvents: opts.opEvents, ledgerBatcher });
  const renewer = createLeaseRenewer({ store, clock, owner: instanceId, leaseMs, held, logger: log });
  const listeners: { [E in keyof CrankEvents]: Set<(v: CrankEvents[E]) => void> } = { state: new Set(), tick: new Set(), idle: new Set() };
  const ticks = createTickRecorder({ store, clock, log, instanceId, tickRecordMs, idleTickRecordMs, onTick: (t) => emit("tick", t) });

  let current: CrankState = "starting";
  let attemptSeq = 0;
  let startedAt = 0;
  let lastHeartbeatAt = Number.NEGATIVE_INFINITY;
  let tickedSinceHeartbeat = false;
  let lastReclaimAt = Number.NEGATIVE_INFINITY;
  let lastExpirySweepAt = Number.NEGATIVE_INFINITY;
  let lastReclaimFull = false;
  let stopRequested = false;
  let wakePending = false;
  let sleeper: AbortController | null = null;
  let loop: Promise<void> | null = null;

  function emit<E extends keyof CrankEvents>(event: E, value: CrankEvents[E]): void {
    for (const fn of listeners[event]) fn(value);
  }

  function setState(next: CrankState, detail: Record<string, unknown> = {}): void {
    if (next === current) return;
    const previous = current;
    current = next;
    // Entering an infra cooldown is the one warn line of an outage; leaving it is info.
    log[next === "cooling_down" && previous !== "paused" && previous !== "halted" ? "warn" : "info"]({ state: next, previous, ...detail }, "crank.state");
    emit("state", next);
  }

  function wake(): void {
    wakePending = true;
    // Abort a sleep once (every ended attempt wakes us), with a reason: abort() without one
    // builds a DOMException, stack trace included.
    const s = sleeper;
    sleeper = null;
    s?.abort(WAKE);
  }

  const freeSlots = () => claimWindow.free(held.size);
  const shouldClaim = () => claimWindow.shouldClaim(held.size);

  /** The executor's outcome of attempt `seq`, as soon as it is known. */
  function onOutcome(seq: number, outcome: Outcome): void {
    const now = clock.now();
    const infra = outcome === "infra";
    if (infra && !cooldown.active) enterCooldown("executor", null, now);
    else if (cooldown.active && cooldown.onResult({ seq, infra, now }) === "left") leaveCooldown();
  }

  function onAttemptEnded(seq: number, report: AttemptReport): void {
    if (report.tally === "succeeded" || report.tally === "failed" || report.tally === "retried") ticks.countEnded(report.tally);
    const now = clock.now();
    if (report.storeError?.outcome === "infra") {
      if (!cooldown.active) enterCooldown("store", report.storeError, now);
      else if (cooldown.probeSeq === seq) cooldown.onStoreFailure(now);
    } else if (cooldown.active && cooldown.probeSeq === seq) {
      // The probe ended without an executor result (expired, misfired, lost): probe again later.
      cooldown.onEmptyProbe(now);
    }
    wake();
  }

  function enterCooldown(cause: "executor" | "store", error: CourierError | null, now: number): void {
    if (!cooldown.enter(cause, attemptSeq, now)) return;
    // One event on entering, one on leaving: the probes in between log only their op events.
    if (current === "running" || current === "starting") {
      setState("cooling_down", { cause, ...(error ? { error: { code: error.code, message: error.message } } : {}) });
    } else log.warn({ cause }, "crank.cooldown");
  }

  function leaveCooldown(): void {
    if (current === "cooling_down") setState("running");
    // Entered while paused or halted (logged as crank.cooldown): its end gets its own line.
    else log.info({ state: current }, "crank.cooldown_left");
  }

  /**
   * One dispatched attempt's side of RunAttemptArgs, as one record with prototype methods rather
   * than four closures and their context: ten thousand runs in flight each hold theirs.
   */
  class Dispatched implements RunAttemptArgs {
    readonly slot = slots.run;

    constructor(
      readonly held: HeldOp,
      readonly claimedAt: number,
      private readonly seq: number,
    ) {}

    endHold(): void {
      const h = this.held;
      const id = h.claimed.op.id;
      if (held.get(id) !== h) return;
      held.delete(id);
      if (h.awaitingVerdict) claimWindow.stopAwaiting();
    }

    onOutcome(outcome: Outcome): void {
      onOutcome(this.seq, outcome);
    }

    onAwaitingVerdict(): void {
      claimWindow.startAwaiting();
      // A slot is free: the loop may claim and start the next op.
      wake();
    }

    mayStart(): StartGate {
      if (stopRequested) return "shutdown";
      if (this.held.abortReason === "lease") return "lost";
      if (cooldown.active && cooldown.probeSeq !== this.seq) return "release";
      return "start";
    }

    /** The attempt's end, told to the crank; a throw (of an event listener) is logged: the flight never rejects. */
    ended(report: AttemptReport): void {
      try {
        onAttemptEnded(this.seq, report);
      } catch (e) {
        this.failed(e);
      }
    }

    failed(e: unknown): void {
      log.error({ op_id: this.held.claimed.op.id, error: coerceError(e).toJSON() }, "crank.dispatch_failed");
    }
  }

  function dispatch(claimed: ClaimedOp, claimedAt: number, probe: boolean): void {
    const id = claimed.op.id;
    const h = createHeldOp(claimed, claimedAt + leaseMs);
    held.set(id, h);
    const seq = ++attemptSeq;
    if (probe) cooldown.startProbe(seq);
    const d = new Dispatched(h, claimedAt, seq);
    const flight = flights.run(id, () =>
      runAttempt(d).then(
        (report) => d.ended(report),
        (e: unknown) => d.failed(e),
      ),
    );
    if (flight === null) d.endHold();
  }

  async function tick(args: { limit?: number; probe?: boolean; reclaim?: boolean; flush?: boolean } = {}): Promise<TickSummary> {
    const started = clock.now();
    let claimed = 0;
    let skipped = 0;
    if (args.reclaim !== false) {
      lastReclaimAt = started;
      lastReclaimFull = (await store.reclaimExpired({ now: started, limit: batchSize })) >= batchSize;
    }
    const want = Math.min(args.limit ?? batchSize, freeSlots());
    if (want > 0) {
      // Reserve the slots before the await so overlapping ticks never over-claim.
      claimWindow.reserve(want);
      let claims: ClaimedOp[];
      const claimedAt = clock.now();
      try {
        claims = await store.claimDue({ now: claimedAt, limit: want, owner: instanceId, lease_ms: leaseMs });
      } finally {
        claimWindow.unreserve(want);
      }
      for (const c of claims) {
        claimed++;
        const id = c.op.id;
        if (!flights.has(id)) {
          dispatch(c, claimedAt, args.probe === true);
        } else if (held.has(id)) {
          // Still executing here (we re-claimed our own op after its lease lapsed): the running
          // execution finishes it under our (renewed) lease; never start a second one.
          const h = held.get(id) as HeldOp;
          h.leaseUntil = Math.max(h.leaseUntil, claimedAt + leaseMs);
          skipped++;
        } else {
          // Its previous attempt just ended (the op was pending again and we won a fresh
          // claim) but the flight has not settled yet: run it right after.
          const h = createHeldOp(c, claimedAt + leaseMs);
          held.set(id, h);
          void flights.wait(id).then(() => {
            if (held.get(id) === h) held.delete(id);
            dispatch(c, claimedAt, false);
          });
        }
      }
    }
    const summary = await ticks.record({ started, claimed, skipped: skipped, flush: args.flush === true });
    tickedSinceHeartbeat = true;
    return summary;
  }

  async function heartbeat(force = false): Promise<void> {
    const now = clock.now();
    if (!force && now - lastHeartbeatAt < heartbeatMs) return;
    await store.heartbeat({ instance: instanceId, started_at: startedAt, now, in_flight: held.size, ticked: tickedSinceHeartbeat });
    lastHeartbeatAt = now;
    tickedSinceHeartbeat = false;
  }

  /**
   * Expire what is past expires_at without claiming it, at most every reclaimIntervalMs, paused
   * or not: an op reads `expired` on time even while the crank or the op itself is paused.
   */
  async function sweepExpired(): Promise<void> {
    const now = clock.now();
    if (now - lastExpirySweepAt < reclaimIntervalMs) return;
    lastExpirySweepAt = now;
    const expired = await store.expireDue({ now, limit: batchSize, instance: instanceId });
    if (expired > 0) log.info({ expired }, "op.expired_sweep");
  }

  /** One loop iteration; returns how long to sleep. */
  async function step(): Promise<number> {
    const control: CrankControl = await store.getControl();
    if (stopRequested) return 0;
    await sweepExpired();
    if (control.halted || control.paused) {
      setState(control.halted ? "halted" : "paused");
      await heartbeat();
      return maxIdleMs;
    }
    if (cooldown.active) {
      setState("cooling_down");
      await heartbeat();
      const now = clock.now();
      if (cooldown.probeSeq !== null) return maxIdleMs; // a probe is in flight; its end wakes us
      // Bounded by maxIdleMs so a pause or halt is still seen while waiting for the next probe.
      if (now < cooldown.nextProbeAt) return Math.min(cooldown.nextProbeAt - now, maxIdleMs);
      const summary = await tick({ limit: 1, probe: true });
      // The claim path (writes, not just the control read) works again: a store outage is over.
      if (cooldown.onStoreOk()) {
        leaveCooldown();
        return 0;
      }
      if (summary.claimed === 0 || cooldown.probeSeq === null) cooldown.onEmptyProbe(clock.now());
      return cooldown.probeSeq !== null ? maxIdleMs : Math.min(maxIdleMs, Math.max(0, cooldown.nextProbeAt - clock.now()));
    }
    setState("running");
    const claim = shouldClaim();
    const want = claim ? Math.min(batchSize, freeSlots()) : 0;
    // Expired leases are looked for every reclaimIntervalMs (a write each time), not every
    // tick: under load a tick runs per finished op.
    const reclaim = lastReclaimFull || clock.now() - lastReclaimAt >= reclaimIntervalMs;
    const summary = await tick({ reclaim, limit: want });
    await heartbeat();
    // Not enough room for a claim: ending attempts wake us.
    if (!shouldClaim()) return maxIdleMs;
    // A full batch: more may be due right now.
    if (want > 0 && summary.claimed >= want) return 0;
    const next = await store.nextDueAt();
    if (next === null) return maxIdleMs;
    const wait = next - clock.now();
    // Due but not claimed (another process got there first): poll again shortly, never spin.
    if (wait <= 0) return summary.claimed > 0 ? 0 : Math.min(maxIdleMs, 10);
    return Math.min(wait, maxIdleMs);
  }

  async function sleep(ms: number): Promise<void> {
    if (wakePending || stopRequested || ms <= 0) {
      wakePending = false;
      return;
    }
    const controller = new AbortController();
    sleeper = controller;
    // Quiet only when no attempt is left at all: a flight leaves the map after its end woke us.
    if (held.size === 0 && flights.size === 0) {
      // Going quiet: what the last busy iterations did is recorded now, not a tickRecordMs later.
      if (ticks.hasPending()) {
        await ticks.flush().catch((e) => log.warn({ error: coerceError(e).toJSON() }, "crank.tick_record_failed"));
      }
      if (wakePending || stopRequested) {
        sleeper = null;
        wakePending = false;
        return;
      }
      emit("idle", { sleep_ms: ms });
    }
    // An event listener may have called wake() or stop() synchronously.
    if (!wakePending && !stopRequested) await clock.sleep(ms, controller.signal);
    sleeper = null;
    wakePending = false;
  }

  async function runLoop(): Promise<void> {
    startedAt = clock.now();
    const renewStop = new AbortController();
    const renewing = renewer.run(renewStop.signal);
    try {
      await heartbeat(true).catch((e) => log.warn({ error: coerceError(e).toJSON() }, "crank.heartbeat_failed"));
      while (!stopRequested) {
        let wait: number;
        try {
          wait = await step();
        } catch (e) {
          wait = onStepFailure(e);
        }
        if (stopRequested) break;
        // At least one macrotask turn per iteration: timers and I/O callbacks get their turn.
        await new Promise<void>((resolve) => setImmediate(resolve));
        await sleep(wait);
      }
      setState("stopping");
      await shutdownCrank({
        store,
        clock,
        log,
        instanceId,
        shutdownGraceMs,
        removeInstance: opts.removeInstanceOnStop !== false,
        held,
        flights,
        flushTicks: () => ticks.flush(),
        onDropped: (h) => {
          if (h.awaitingVerdict) claimWindow.stopAwaiting();
        },
      });
    } finally {
      renewStop.abort();
      await renewing;
      setState("stopped");
    }
  }

  function onStepFailure(e: unknown): number {
    const error = coerceError(e);
    const now = clock.now();
    if (error.outcome === "infra") {
      if (cooldown.active) cooldown.onStoreFailure(now);
      else enterCooldown("store", error, now);
      return Math.max(0, cooldown.nextProbeAt - now);
    }
    // Not classified as infra (a bug, a constraint): log and fall back to normal polling.
    log.error({ error: error.toJSON() }, "crank.tick_failed");
    return maxIdleMs;
  }

  return {
    start() {
      if (loop) return loop;
      if (stopRequested) return Promise.resolve();
      loop = runLoop();
      return loop;
    },
    async stop() {
      stopRequested = true;
      // Queued ops take no slot on the way out: each sees the "shutdown" gate and stays held.
      slots.letGo();
      wake();
      if (loop) await loop;
      else setState("stopped");
    },
    wake,
    state: () => current,
    inFlight: () => held.size,
    on(event, fn) {
      const set = listeners[event] as Set<typeof fn>;
      set.add(fn);
      return () => set.delete(fn);
    },
    tick: (args) => tick({ limit: args?.limit, flush: true }),
    drain: () => flights.settled(),
  };
}
