export { computeBackoff, createSeededRandom, DEFAULT_BACKOFF, type BackoffConfig, type ComputeBackoffArgs } from "./backoff.js";
export {
  decideAfterOk,
  decideAfterResult,
  decideAtClaim,
  needsClaimCheck,
  formatLastError,
  DEFAULT_LIFECYCLE,
  type AfterResultArgs,
  type AtClaimArgs,
  type AttemptDecision,
  type ClaimDecision,
  type LifecycleConfig,
  type MissedSummary,
  formatMissed,
  type Release,
} from "./lifecycle.js";
export { createSingleFlight, type SingleFlight } from "./single-flight.js";
export { createCooldown, DEFAULT_COOLDOWN, type Cooldown, type CooldownCause, type CooldownConfig } from "./cooldown.js";
export { createRunLedger } from "./run-ledger.js";
export { createStoreBatcher, type StoreBatcher } from "./store-batcher.js";
export { getRunFailedAlertKey, raiseRunFailedAlert } from "./run-failed-alert.js";
export { createCrank, type Crank, type CrankEvents, type CrankOptions, type CrankState } from "./crank.js";
export type { OpEventsHook } from "./attempt.js";
