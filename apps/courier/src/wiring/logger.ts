/**
 * The process logger: pino lines on stdout (JSON, or human-readable ones on a terminal, see
 * pretty-log.ts), with secret-looking fields redacted as a backstop.
 */
import pino, { type Logger } from "pino";
import type { Config } from "../config/index.js";
import { type LogFormat, createPrettyDestination } from "./pretty-log.js";

/** The stdout destination of a log format (colours only when stdout is a terminal). */
export function getLogDestination(format: LogFormat): pino.DestinationStream {
  if (format === "pretty") return createPrettyDestination({ color: process.stdout.isTTY === true });
  return pino.destination({ fd: 1, sync: true });
}

export function createLogger(level: Config["logLevel"], destination: pino.DestinationStream = getLogDestination("json")): Logger {
  return pino(
    {
      level,
      base: { service: "courier" },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ["adminToken", "token", "secretKey", "authorization", "*.adminToken", "*.token", "*.secretKey", "*.authorization"],
        censor: "[redacted]",
      },
    },
    destination,
  );
}
