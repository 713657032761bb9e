/**
 * SIGTERM/SIGINT as one stop request.
 *
 * A terminal's Ctrl-C reaches node more than once: the whole process group gets SIGINT, and a
 * launcher in the group (pnpm, tsx) relays it again. So every signal within `repeatWindowMs` of
 * the first is the same request (counted, not acted on). Only a signal after that window means
 * "stop now": `onForced` runs, once.
 */
import type { Clock } from "@courier/agent";

/** Long enough for any relay of the same keypress; short enough for an impatient operator. */
export const SHUTDOWN_REPEAT_WINDOW_MS = 3_000;

export interface ShutdownSignal {
  /** Resolves with the name of the first signal received. */
  received: Promise<NodeJS.Signals>;
  /** Signals received so far (all of them, repeats included). */
  count(): number;
  dispose(): void;
}

/** The part of `process` this needs (a test passes an EventEmitter). */
export interface SignalSource {
  on(event: NodeJS.Signals, fn: (signal: NodeJS.Signals) => void): unknown;
  off(event: NodeJS.Signals, fn: (signal: NodeJS.Signals) => void): unknown;
}

export interface ShutdownSignalOptions {
  clock: Clock;
  /** A signal this long after the first forces the stop. */
  repeatWindowMs?: number;
  /** A repeat inside the window (ignored: same request). */
  onRepeated?: (signal: NodeJS.Signals, sinceFirstMs: number) => void;
  /** A signal after the window: the operator wants out now. */
  onForced: (signal: NodeJS.Signals, sinceFirstMs: number) => void;
  source?: SignalSource;
}

const SIGNALS: readonly NodeJS.Signals[] = ["SIGTERM", "SIGINT"];

export function createShutdownSignal(opts: ShutdownSignalOptions): ShutdownSignal {
  const source = opts.source ?? process;
  const windowMs = opts.repeatWindowMs ?? SHUTDOWN_REPEAT_WINDOW_MS;
  let firstAt: number | null = null;
  let forced = false;
  let count = 0;
  let resolveReceived: (s: NodeJS.Signals) => void = () => {};
  const received = new Promise<NodeJS.Signals>((resolve) => {
    resolveReceived = resolve;
  });
  const handler = (signal: NodeJS.Signals) => {
    count++;
    const now = opts.clock.now();
    if (firstAt === null) {
      firstAt = now;
      resolveReceived(signal);
      return;
    }
    const since = now - firstAt;
    if (since < windowMs) {
      opts.onRepeated?.(signal, since);
      return;
    }
    if (forced) return;
    forced = true;
    opts.onForced(signal, since);
  };
  for (const s of SIGNALS) source.on(s, handler);
  return {
    received,
    count: () => count,
    dispose() {
      for (const s of SIGNALS) source.off(s, handler);
    },
  };
}
