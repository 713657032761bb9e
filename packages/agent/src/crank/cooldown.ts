/**
 * Infra cooldown: when the crank cannot work at all (every RPC endpoint down, store
 * unavailable) it stops claiming and sends one probe at a time, at an interval that doubles
 * from `initialMs` to `maxMs`. The first probe that is not `infra` ends the cooldown. During an
 * outage the executor therefore runs at most once per probe interval: no tight loop, no storm.
 *
 * Only evidence gathered after entering counts: an attempt that started before the cooldown
 * and ends ok does not end it (it says nothing about the outage that followed), so a burst of
 * in-flight results cannot flap the state.
 */
export interface CooldownConfig {
  initialMs: number;
  maxMs: number;
}

/**
 * The probe interval caps at 2 s so work resumes within ~5 s of an outage ending (issue 4's bar)
 * even on a loaded machine, and a rate limit that lifts is noticed soon (issue 12).
 * A probe is cheap by construction: while every endpoint's circuit is open the RPC pool refuses
 * at once without touching the network, and the breaker alone bounds requests to a dead endpoint.
 */
export const DEFAULT_COOLDOWN: CooldownConfig = { initialMs: 1_000, maxMs: 2_000 };

export type CooldownCause = "executor" | "store";

export interface Cooldown {
  readonly active: boolean;
  readonly cause: CooldownCause | null;
  readonly intervalMs: number;
  readonly nextProbeAt: number;
  /** Attempt sequence number of the probe in flight, or null. */
  readonly probeSeq: number | null;
  /** Enter (returns true) or, when already cooling down, do nothing (false). */
  enter(cause: CooldownCause, lastSeq: number, now: number): boolean;
  /** A probe started as attempt `seq`. */
  startProbe(seq: number): void;
  /** Record a result; returns "left" when the cooldown ended. */
  onResult(args: { seq: number; infra: boolean; now: number }): "left" | "stayed" | "ignored";
  /** The probe found nothing to claim or ended without a result: probe again after the same interval. */
  onEmptyProbe(now: number): void;
  /** The store answered while the cooldown was caused by the store. */
  onStoreOk(): boolean;
  /** A store call failed again while cooling down: back off further. */
  onStoreFailure(now: number): void;
  leave(): void;
}

export function createCooldown(config: CooldownConfig): Cooldown {
  let active = false;
  let cause: CooldownCause | null = null;
  let intervalMs = config.initialMs;
  let nextProbeAt = 0;
  let sinceSeq = 0;
  let probeSeq: number | null = null;

  const backOff = (now: number) => {
    intervalMs = Math.min(config.maxMs, intervalMs * 2);
    nextProbeAt = now + intervalMs;
  };
  const leave = () => {
    active = false;
    cause = null;
    probeSeq = null;
    intervalMs = config.initialMs;
  };

  return {
    get active() {
      return active;
    },
    get cause() {
      return cause;
    },
    get intervalMs() {
      return intervalMs;
    },
    get nextProbeAt() {
      return nextProbeAt;
    },
    get probeSeq() {
      return probeSeq;
    },
    enter(c, lastSeq, now) {
      if (active) return false;
      active = true;
      cause = c;
      sinceSeq = lastSeq;
      probeSeq = null;
      intervalMs = config.initialMs;
      nextProbeAt = now + intervalMs;
      return true;
    },
    startProbe(seq) {
      probeSeq = seq;
    },
    onResult({ seq, infra, now }) {
      if (!active || seq <= sinceSeq) return "ignored";
      if (!infra) {
        leave();
        return "left";
      }
      if (seq === probeSeq) {
        probeSeq = null;
        backOff(now);
      }
      return "stayed";
    },
    onEmptyProbe(now) {
      probeSeq = null;
      nextProbeAt = now + intervalMs;
    },
    onStoreOk() {
      if (!active || cause !== "store") return false;
      leave();
      return true;
    },
    onStoreFailure(now) {
      probeSeq = null;
      backOff(now);
    },
    leave,
  };
}
