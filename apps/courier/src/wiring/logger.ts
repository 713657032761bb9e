/** The process logger: pino JSON lines on stdout, with secret-looking fields redacted as a backstop. */
import pino, { type Logger } from "pino";
import type { Config } from "../config/index.js";

export function createLogger(level: Config["logLevel"], destination: pino.DestinationStream = pino.destination({ fd: 1, sync: true })): Logger {
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
