/**
 * An op's schedule in words ("every 10 minutes", "09:00 Mon–Fri, Europe/Paris") and its next
 * runs, computed with the crank's own slot arithmetic so the page shows what the crank will do.
 */
import { nextSlotAfter, type Op, type Schedule } from "@courier/agent";
import { formatDuration, formatUtc } from "./format.js";

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

export function describeSchedule(schedule: Schedule, firstRun: number): string {
  switch (schedule.kind) {
    case "once":
      return `once, at ${formatUtc(firstRun)}`;
    case "every":
      return `every ${formatDuration(schedule.every_ms)}`;
    case "cron":
      return describeCron(schedule.cron, schedule.tz);
  }
}

/** Common cron shapes in words; anything else is shown as the expression itself. */
export function describeCron(cron: string, tz: string): string {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return `cron "${cron}" (${tz})`;
  const [min, hour, dom, month, dow] = fields as [string, string, string, string, string];
  const step = /^\*\/(\d+)$/.exec(min);
  if (step && hour === "*" && dom === "*" && month === "*" && dow === "*") return `every ${step[1]} minutes`;
  if (min === "*" && hour === "*" && dom === "*" && month === "*" && dow === "*") return "every minute";
  if (/^\d+$/.test(min) && hour === "*" && dom === "*" && month === "*" && dow === "*") return `every hour at :${min.padStart(2, "0")}`;
  if (/^\d+$/.test(min) && /^\d+$/.test(hour) && month === "*") {
    const time = `${hour.padStart(2, "0")}:${min.padStart(2, "0")}`;
    if (dom === "*" && dow === "*") return `${time} every day, ${tz}`;
    if (dom === "*") {
      const days = describeDays(dow);
      if (days) return `${time} ${days}, ${tz}`;
    }
    if (/^\d+$/.test(dom) && dow === "*") return `${time} on day ${dom} of every month, ${tz}`;
  }
  return `cron "${cron}" (${tz})`;
}

function describeDays(dow: string): string | null {
  const range = /^([0-7])-([0-7])$/.exec(dow);
  if (range) return `${DAYS[Number(range[1]) % 7]}–${DAYS[Number(range[2]) % 7]}`;
  if (/^[0-7](,[0-7])*$/.test(dow)) return dow.split(",").map((d) => DAYS[Number(d) % 7]).join(", ");
  return null;
}

/** The op's next `count` runs: its pending slot, then the schedule's following slots. */
export function getNextRuns(op: Op, count: number): number[] {
  if (op.status !== "pending" && op.status !== "running") return [];
  const runs: number[] = [];
  let at: number | null = op.next_exec;
  const remaining = op.max_exec === null ? Number.POSITIVE_INFINITY : Math.max(0, op.max_exec - op.exec_count);
  while (at !== null && runs.length < Math.min(count, remaining)) {
    if (op.expires_at !== null && at > op.expires_at) break;
    runs.push(at);
    at = nextSlotAfter(op.schedule, at);
  }
  return runs;
}

/** The op's own time zone (cron ops), else null. */
export function getOpZone(schedule: Schedule): string | null {
  return schedule.kind === "cron" ? schedule.tz : null;
}
