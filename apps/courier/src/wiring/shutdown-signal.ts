/**
 * SIGTERM/SIGINT as a promise: the first signal asks for a graceful stop; a second one while
 * stopping means the operator wants out now.
 */
export interface ShutdownSignal {
  /** Resolves with the name of the first signal received. */
  received: Promise<NodeJS.Signals>;
  dispose(): void;
}

export function createShutdownSignal(onForced: (signal: NodeJS.Signals) => void): ShutdownSignal {
  let first: NodeJS.Signals | null = null;
  let resolveReceived: (s: NodeJS.Signals) => void = () => {};
  const received = new Promise<NodeJS.Signals>((resolve) => {
    resolveReceived = resolve;
  });
  const handler = (signal: NodeJS.Signals) => {
    if (first === null) {
      first = signal;
      resolveReceived(signal);
    } else {
      onForced(signal);
    }
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
  return {
    received,
    dispose() {
      process.off("SIGTERM", handler);
      process.off("SIGINT", handler);
    },
  };
}
