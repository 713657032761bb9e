/**
 * Schedule arithmetic: when is the next slot of a schedule.
 *
 * - once: no slot after the first (the op's first next_exec is set at creation).
 * - every: slots are anchor + k * every_ms (k ≥ 0). Computed from the anchor, never from the
 *   previous run's completion, so a recurring op does not drift however late its runs end.
 * - cron: croner in the schedule's IANA time zone. Across DST, croner keeps the wall-clock
 *   time: "0 9 * * *" in America/New_York is 14:00Z in winter and 13:00Z in summer. A local
 *   time that does not exist on the spring-forward day (02:30 on 2026-03-08 in New York) fires
 *   once, shifted forward by the gap (03:30 EDT = 07:30Z); a local time that happens twice on the
 *   fall-back day (01:30 on 2026-11-01) fires once, at its first occurrence (EDT).
 */
import { Cron } from "croner";
import type { Schedule } from "../types.js";

type CronSchedule = Extract<Schedule, { kind: "cron" }>;

// Paused Cron objects hold no timers; caching them saves re-parsing the pattern on every run.
const CRON_CACHE_LIMIT = 256;
const cronCache = new Map<string, Cron>();

/** A paused croner job for a cron schedule (throws croner's error on a bad pattern or zone). */
export function getCronJob(cron: string, tz: string): Cron {
  const key = `${tz}\u0000${cron}`;
  const hit = cronCache.get(key);
  if (hit) return hit;
  const job = new Cron(cron, { timezone: tz, paused: true });
  if (cronCache.size >= CRON_CACHE_LIMIT) {
    const oldest = cronCache.keys().next().value;
    if (oldest !== undefined) cronCache.delete(oldest);
  }
  cronCache.set(key, job);
  return job;
}

function nextCronSlot(schedule: CronSchedule, after: number): number | null {
  const job = getCronJob(schedule.cron, schedule.tz);
  let from = after;
  // croner works at second granularity and returns a time strictly after its input; the loop
  // guards the "strictly after `after` in ms" promise should a sub-second input round down.
  for (let i = 0; i < 3; i++) {
    const next = job.nextRun(new Date(from));
    if (next === null) return null;
    const t = next.getTime();
    if (t > after) return t;
    from = t;
  }
  return null;
}

/** The first slot of `schedule` strictly after `after` (epoch ms); null when there is none. */
export function nextSlotAfter(schedule: Schedule, after: number): number | null {
  switch (schedule.kind) {
    case "once":
      return null;
    case "every": {
      const { anchor, every_ms } = schedule;
      if (after < anchor) return anchor;
      const k = Math.floor((after - anchor) / every_ms) + 1;
      return anchor + k * every_ms;
    }
    case "cron":
      return nextCronSlot(schedule, after);
  }
}

/**
 * Slots in (fromExclusive, toInclusive], oldest first, at most `cap` of them. The misfire
 * policy uses it to count and replay runs missed while no crank was up.
 */
export function slotsBetween(schedule: Schedule, fromExclusive: number, toInclusive: number, cap: number): number[] {
  const out: number[] = [];
  let cursor = fromExclusive;
  while (out.length < cap) {
    const next = nextSlotAfter(schedule, cursor);
    if (next === null || next > toInclusive) break;
    out.push(next);
    cursor = next;
  }
  return out;
}

/**
 * The slots of `schedule` in [from, to] (from itself counts when it is a slot time): how many
 * (at most `cap`, `capped` when more exist) and the latest one counted. An interval schedule
 * is counted by arithmetic, a cron one slot by slot.
 */
export function countSlots(schedule: Schedule, from: number, to: number, cap: number): { count: number; last: number | null; capped: boolean } {
  if (to < from) return { count: 0, last: null, capped: false };
  if (schedule.kind === "every") {
    const { anchor, every_ms } = schedule;
    const first = from <= anchor ? anchor : anchor + Math.ceil((from - anchor) / every_ms) * every_ms;
    if (first > to) return { count: 0, last: null, capped: false };
    const total = Math.floor((to - first) / every_ms) + 1;
    const count = Math.min(total, cap);
    return { count, last: first + (count - 1) * every_ms, capped: total > cap };
  }
  const slots = slotsBetween(schedule, from - 1, to, cap + 1);
  const count = Math.min(slots.length, cap);
  return { count, last: count > 0 ? (slots[count - 1] as number) : null, capped: slots.length > cap };
}
