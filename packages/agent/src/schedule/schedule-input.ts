/**
 * The create body of an op (CONTRACT.md "Create body"), its validation and its normalisation
 * into a NewOp.
 *
 * Rules a caller may not guess from the contract alone:
 * - Times (`run_at`, `expires_at`) are ISO-8601 with a zone, or epoch milliseconds.
 * - `every_ms` is at least MIN_EVERY_MS (100 ms): faster schedules are a tight loop, not a schedule.
 * - `tz` only goes with `cron`; a cron schedule without `tz` runs in UTC.
 * - First run: one-off at `run_at`, else now + `delay_ms`, else now. An interval op is anchored
 *   at `run_at` / now + `delay_ms` / now and its first run is the anchor itself, so it runs at
 *   once unless delayed. A cron op runs at its first slot at or after `run_at` / now + `delay_ms`
 *   / now (`run_at` means "not before": a cron op never runs off its pattern).
 * - `missed_window_ms` defaults to max(every_ms, 60 s) for an interval (a run is only missed
 *   once its period has passed, with a minute's grace for restarts), 60 s for cron, and none
 *   for a one-off (a late one-off still runs).
 * - `expires_at` must be in the future and after the first run.
 */
import { z } from "zod";
import type { ActionRegistry } from "../actions/registry.js";
import { type CourierError, isCourierError } from "../errors.js";
import { newOpId } from "../store/ids.js";
import type { Clock, NewOp, Op, OperatorStore, Schedule } from "../types.js";
import { getCronJob, nextSlotAfter } from "./next-slot.js";
import { MAX_EPOCH_MS, timeInputSchema } from "./time-input.js";
import { createValidationError, getInputIssues } from "./validation-error.js";

export const MIN_EVERY_MS = 100;
/** Upper bound of any duration field: 100 years. */
export const MAX_DURATION_MS = 100 * 365 * 86_400_000;
export const DEFAULT_MAX_ATTEMPTS = 5;
export const MAX_MAX_ATTEMPTS = 100;
export const DEFAULT_CRON_TZ = "UTC";
export const MIN_MISSED_WINDOW_MS = 60_000;

const POSITIVE_INT = "must be a positive integer";

function intField(min: number, max: number, message: string) {
  return z
    .number({ error: message })
    .int({ error: message })
    .min(min, { error: message })
    .max(max, { error: `must be at most ${max}` });
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Croner also takes an ISO date as a one-shot "pattern"; a cron field must be a real pattern. */
function checkCronPattern(cron: string, tz: string): string | null {
  const fields = cron.trim().split(/\s+/).length;
  if (!cron.trim().startsWith("@") && fields !== 5 && fields !== 6) {
    return `${JSON.stringify(cron)} is not a cron pattern: expected 5 fields (minute hour day month weekday) or 6 with seconds`;
  }
  try {
    getCronJob(cron, tz);
  } catch (e) {
    return `${JSON.stringify(cron)} is not a valid cron pattern: ${e instanceof Error ? e.message : String(e)}`;
  }
  return null;
}

export const scheduleInputSchema = z
  .strictObject({
    action: z.string({ error: "must be a string" }).min(1, { error: "must not be empty" }),
    params: z.unknown().default({}),
    run_at: timeInputSchema.optional(),
    delay_ms: intField(0, MAX_DURATION_MS, "must be a non-negative integer (milliseconds)").optional(),
    every_ms: intField(1, MAX_DURATION_MS, POSITIVE_INT)
      .min(MIN_EVERY_MS, { error: `must be at least ${MIN_EVERY_MS} ms` })
      .optional(),
    cron: z.string({ error: "must be a cron pattern string" }).max(200, { error: "must be at most 200 characters" }).optional(),
    tz: z
      .string({ error: "must be an IANA time zone name" })
      .refine(isValidTimeZone, { error: "must be an IANA time zone name (e.g. Europe/Paris)" })
      .optional(),
    max_exec: intField(1, Number.MAX_SAFE_INTEGER, "must be an integer ≥ 1").optional(),
    expires_at: timeInputSchema.optional(),
    max_attempts: intField(1, MAX_MAX_ATTEMPTS, `must be an integer from 1 to ${MAX_MAX_ATTEMPTS}`).default(
      DEFAULT_MAX_ATTEMPTS,
    ),
    misfire: z.enum(["skip", "once", "all"], { error: 'must be "skip", "once" or "all"' }).default("skip"),
    missed_window_ms: intField(1, MAX_DURATION_MS, POSITIVE_INT).optional(),
    idempotency_key: z
      .string({ error: "must be a string" })
      .min(1, { error: "must not be empty" })
      .max(200, { error: "must be at most 200 characters" })
      .optional(),
  })
  .superRefine((input, ctx) => {
    if (input.every_ms !== undefined && input.cron !== undefined) {
      ctx.addIssue({ code: "custom", path: ["cron"], message: "cannot be combined with every_ms (pick one schedule)" });
    }
    if (input.run_at !== undefined && input.delay_ms !== undefined) {
      ctx.addIssue({ code: "custom", path: ["delay_ms"], message: "cannot be combined with run_at" });
    }
    if (input.tz !== undefined && input.cron === undefined) {
      ctx.addIssue({ code: "custom", path: ["tz"], message: "only applies to a cron schedule" });
    }
    if (input.cron !== undefined) {
      const problem = checkCronPattern(input.cron, input.tz ?? DEFAULT_CRON_TZ);
      if (problem) ctx.addIssue({ code: "custom", path: ["cron"], message: problem });
    }
  });

/** A validated create body (times as epoch ms, defaults applied). */
export type ScheduleInput = z.output<typeof scheduleInputSchema>;
/** The create body as a caller writes it. */
export type ScheduleInputBody = z.input<typeof scheduleInputSchema>;

export interface BuildOpDeps {
  registry: ActionRegistry;
  clock: Clock;
  newId: () => string;
}

function fail(field: string, message: string): never {
  throw createValidationError([{ path: field, message }]);
}

/** Parse the create body; throws one COURIER__VALIDATION error naming the field. */
export function parseScheduleInput(input: unknown): ScheduleInput {
  const result = scheduleInputSchema.safeParse(input);
  if (!result.success) throw createValidationError(getInputIssues(result.error));
  return result.data;
}

function getScheduleAndFirstRun(input: ScheduleInput, now: number): { schedule: Schedule; first: number } {
  const start = input.run_at ?? now + (input.delay_ms ?? 0);
  if (input.every_ms !== undefined) {
    return { schedule: { kind: "every", every_ms: input.every_ms, anchor: start }, first: start };
  }
  if (input.cron !== undefined) {
    const schedule: Schedule = { kind: "cron", cron: input.cron, tz: input.tz ?? DEFAULT_CRON_TZ };
    const first = nextSlotAfter(schedule, start - 1);
    if (first === null) fail("cron", `${JSON.stringify(input.cron)} never fires after ${new Date(start).toISOString()}`);
    return { schedule, first };
  }
  return { schedule: { kind: "once" }, first: start };
}

function getDefaultMissedWindow(schedule: Schedule): number | null {
  if (schedule.kind === "every") return Math.max(schedule.every_ms, MIN_MISSED_WINDOW_MS);
  if (schedule.kind === "cron") return MIN_MISSED_WINDOW_MS;
  return null;
}

/**
 * Validate a create body (schema, then the action's params) and normalise it into a NewOp.
 * Pure: writes nothing. Throws COURIER__VALIDATION, COURIER__ACTION__UNKNOWN or
 * COURIER__ACTION__INVALID_PARAMS, each naming the field in its message and `context.field`.
 */
export function buildNewOp(input: unknown, deps: BuildOpDeps): NewOp {
  const parsed = parseScheduleInput(input);
  const params = deps.registry.validate(parsed.action, parsed.params);
  const now = deps.clock.now();
  const { schedule, first } = getScheduleAndFirstRun(parsed, now);
  if (first > MAX_EPOCH_MS) fail(parsed.run_at !== undefined ? "run_at" : "delay_ms", "is too far in the future");
  if (parsed.expires_at !== undefined) {
    if (parsed.expires_at <= now) fail("expires_at", `${new Date(parsed.expires_at).toISOString()} is in the past`);
    if (parsed.expires_at <= first) {
      fail("expires_at", `must be after the first run (${new Date(first).toISOString()})`);
    }
  }
  return {
    id: deps.newId(),
    action: parsed.action,
    params,
    schedule,
    next_exec: first,
    created_at: now,
    max_exec: parsed.max_exec ?? null,
    max_attempts: parsed.max_attempts,
    expires_at: parsed.expires_at ?? null,
    idempotency_key: parsed.idempotency_key ?? null,
    misfire: parsed.misfire,
    missed_window_ms: parsed.missed_window_ms ?? getDefaultMissedWindow(schedule),
  };
}

export interface ScheduleOpDeps {
  registry: ActionRegistry;
  clock: Clock;
  newId?: () => string;
}

/**
 * Validate and store an op. A repeated `idempotency_key` returns the first op with
 * created=false (the store decides). Invalid input throws before anything is written.
 */
export async function scheduleOp(
  store: Pick<OperatorStore, "createOp">,
  input: unknown,
  deps: ScheduleOpDeps,
): Promise<{ op: Op; created: boolean }> {
  const newId = deps.newId ?? (() => newOpId(deps.clock.now()));
  const newOp = buildNewOp(input, { registry: deps.registry, clock: deps.clock, newId });
  return store.createOp(newOp);
}

/** True for the errors buildNewOp throws on bad input (the admin API maps them to 400). */
export function isScheduleInputError(e: unknown): e is CourierError {
  return (
    isCourierError(e, "COURIER__VALIDATION") ||
    isCourierError(e, "COURIER__ACTION__UNKNOWN") ||
    isCourierError(e, "COURIER__ACTION__INVALID_PARAMS")
  );
}
