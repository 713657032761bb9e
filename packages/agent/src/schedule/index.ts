export { countSlots, getCronJob, nextSlotAfter, slotsBetween } from "./next-slot.js";
export { parseDuration } from "./parse-duration.js";
export {
  type BuildOpDeps,
  type IntentInput,
  type IntentPolicy,
  buildNewOp,
  DEFAULT_CRON_TZ,
  DEFAULT_MAX_ATTEMPTS,
  isScheduleInputError,
  isValidTimeZone,
  MAX_DURATION_MS,
  MAX_MAX_ATTEMPTS,
  MIN_EVERY_MS,
  MIN_MISSED_WINDOW_MS,
  PAST_GRACE_MS,
  parseScheduleInput,
  type ScheduleInput,
  type ScheduleInputBody,
  type ScheduleOpDeps,
  scheduleInputSchema,
  scheduleOp,
} from "./schedule-input.js";
export { MAX_EPOCH_MS, parseTimeInput, type TimeParse, timeInputSchema } from "./time-input.js";
export { createValidationError, getInputIssues } from "./validation-error.js";
