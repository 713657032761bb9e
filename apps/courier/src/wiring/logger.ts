/**
 * The process logger: pino lines on stdout (JSON, or human-readable ones on a terminal, see
 * pretty-log.ts), with secret-named fields censored as a backstop (the code itself logs only
 * redacted values: URLs through redactUrl, the config through safe-config.ts).
 *
 * The backstop works on the finished line (pino's `streamWrite` hook), so it covers a child's
 * bindings and fields at any depth. A line is parsed only when it names a secret field: looking
 * for four markers is all a normal line costs. pino's own `redact` option reached one level down
 * only (`*.token`), and ran every logged value through its path matcher: a fifth of the bytes a
 * 3,000-transfer burst allocated (323 → 249 MB sampled; the burst rate did not move measurably).
 */
import pino, { type Logger } from "pino";
import type { Config } from "../config/index.js";
import { type LogFormat, createPrettyDestination } from "./pretty-log.js";

/** Field names whose values never reach a log line. */
const SECRET_LOG_FIELDS: readonly string[] = ["adminToken", "token", "secretKey", "authorization"];
const CENSOR = "[redacted]";
const SECRET = new Set(SECRET_LOG_FIELDS);
// In a JSON line a field name is always `"name":`; inside a string value its quotes are escaped.
const MARKERS = SECRET_LOG_FIELDS.map((k) => `"${k}":`);

/** The stdout destination of a log format (colours only when stdout is a terminal). */
export function getLogDestination(format: LogFormat): pino.DestinationStream {
  if (format === "pretty") return createPrettyDestination({ color: process.stdout.isTTY === true });
  return pino.destination({ fd: 1, sync: true });
}

function censorFields(value: unknown): void {
  if (value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    for (const v of value) censorFields(v);
    return;
  }
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (SECRET.has(key)) obj[key] = CENSOR;
    else censorFields(obj[key]);
  }
}

/** One serialized log line (newline included) with every secret-named field's value censored. */
export function censorLogLine(line: string): string {
  let named = false;
  for (const m of MARKERS) {
    if (line.includes(m)) {
      named = true;
      break;
    }
  }
  if (!named) return line;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    // Not one JSON object (never from pino): drop it rather than risk writing a secret.
    return `${JSON.stringify({ level: 40, msg: "log line dropped: it named a secret field and could not be censored" })}\n`;
  }
  censorFields(parsed);
  return `${JSON.stringify(parsed)}\n`;
}

export function createLogger(level: Config["logLevel"], destination: pino.DestinationStream = getLogDestination("json")): Logger {
  return pino(
    {
      level,
      base: { service: "courier" },
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: { streamWrite: censorLogLine },
    },
    destination,
  );
}
