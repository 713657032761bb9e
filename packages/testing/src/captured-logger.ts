import pino, { type Logger } from "pino";

/** One pino JSON line; `msg` is the event name (the log convention). */
export type LogLine = Record<string, unknown> & { msg?: string };

/** A pino logger whose JSON lines are kept in memory. */
export function createCapturedLogger(level: pino.Level = "info"): { logger: Logger; lines: LogLine[]; events(): string[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
  return { logger, lines, events: () => lines.map((l) => String(l.msg)) };
}
