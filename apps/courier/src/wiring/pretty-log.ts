/**
 * Human-readable log lines for a terminal: `HH:MM:SS.mmm LEVEL event key=value …`, an error's
 * stack indented below. It formats pino's own JSON lines (after redaction), so the pretty and the
 * JSON output carry the same fields. Hand-written rather than pino-pretty: a few dozen lines
 * against a dozen transitive packages in the production tree (docs/dependencies.md).
 */
import { writeSync } from "node:fs";
import type { DestinationStream } from "pino";

export const LOG_FORMATS = ["json", "pretty"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** The explicit choice, else pretty on a terminal and JSON everywhere else (pipes, journald, files). */
export function resolveLogFormat(flag: LogFormat | undefined, isTty: boolean): LogFormat {
  return flag ?? (isTty ? "pretty" : "json");
}

const LEVELS: Record<number, { name: string; color: string }> = {
  10: { name: "TRACE", color: "90" },
  20: { name: "DEBUG", color: "36" },
  30: { name: "INFO ", color: "32" },
  40: { name: "WARN ", color: "33" },
  50: { name: "ERROR", color: "31" },
  60: { name: "FATAL", color: "35" },
};
/** Fields every line has, shown in the line's head (or not at all). */
const HEAD_FIELDS = new Set(["level", "time", "msg", "service", "pid", "hostname"]);

/** One pino JSON line → one human line (plus an indented stack for an error). */
export function formatLogLine(json: string, color: boolean): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith("\n") ? json : `${json}\n`;
  }
  const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const level = LEVELS[record.level as number] ?? { name: String(record.level).padEnd(5), color: "0" };
  const time = typeof record.time === "string" ? record.time.slice(11, 23) : String(record.time ?? "");
  const fields: string[] = [];
  const stacks: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (HEAD_FIELDS.has(key)) continue;
    const stack = getStack(value);
    if (stack !== null) stacks.push(stack);
    fields.push(`${paint("2", `${key}=`)}${formatValue(value)}`);
  }
  const head = `${paint("2", time)} ${paint(level.color, level.name)} ${paint("1", String(record.msg ?? ""))}`;
  const body = stacks.map((s) => `\n    ${s.split("\n").join("\n    ")}`).join("");
  return `${[head, ...fields].join(" ")}${body}\n`;
}

function formatValue(value: unknown): string {
  if (typeof value === "string") return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (value !== null && typeof value === "object") return JSON.stringify(value, (k, v) => (k === "stack" ? undefined : v));
  return String(value);
}

function getStack(value: unknown): string | null {
  if (value === null || typeof value !== "object") return null;
  const stack = (value as { stack?: unknown }).stack;
  return typeof stack === "string" ? stack : null;
}

/** A synchronous pino destination writing pretty lines to a file descriptor (stdout by default). */
export function createPrettyDestination(opts: { fd?: number; color: boolean }): DestinationStream {
  const fd = opts.fd ?? 1;
  return { write: (line: string) => void writeSync(fd, formatLogLine(line, opts.color)) };
}
