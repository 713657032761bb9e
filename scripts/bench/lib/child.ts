/**
 * Benchmark child processes: `node --import tsx <worker>` with an IPC channel. A worker sends
 * `{type: "ready"}` once set up, waits for messages from the parent, and sends a final
 * `{type: "done", ...}` before exiting. Every wait is bounded.
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface WorkerMessage {
  type: string;
  [key: string]: unknown;
}

export interface BenchChild {
  child: ChildProcess;
  /** Resolves with the next message of `type` (messages of that type seen earlier count too). */
  next(type: string, timeoutMs: number): Promise<WorkerMessage>;
  send(message: WorkerMessage): void;
  /** Resolves when the process has exited (killing it after `timeoutMs`). */
  exited(timeoutMs: number): Promise<number | null>;
}

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export function forkWorker(workerUrl: URL, args: string[]): BenchChild {
  const child = fork(fileURLToPath(workerUrl), args, {
    cwd: REPO_ROOT,
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const inbox: WorkerMessage[] = [];
  const waiters: Array<{ type: string; resolve: (m: WorkerMessage) => void; reject: (e: Error) => void }> = [];
  let exitCode: number | null | undefined;
  const exitWaiters: Array<(code: number | null) => void> = [];

  child.on("message", (raw) => {
    const m = raw as WorkerMessage;
    const i = waiters.findIndex((w) => w.type === m.type);
    if (i >= 0) waiters.splice(i, 1)[0]?.resolve(m);
    else inbox.push(m);
  });
  child.on("exit", (code) => {
    exitCode = code;
    for (const w of waiters.splice(0)) w.reject(new Error(`worker ${child.pid} exited (${String(code)}) before "${w.type}"`));
    for (const w of exitWaiters.splice(0)) w(code);
  });

  return {
    child,
    next(type, timeoutMs) {
      const i = inbox.findIndex((m) => m.type === type);
      if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0] as WorkerMessage);
      if (exitCode !== undefined) return Promise.reject(new Error(`worker ${child.pid} exited (${String(exitCode)}) before "${type}"`));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const at = waiters.indexOf(waiter);
          if (at >= 0) waiters.splice(at, 1);
          reject(new Error(`worker ${child.pid}: no "${type}" message within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = {
          type,
          resolve: (m: WorkerMessage) => {
            clearTimeout(timer);
            resolve(m);
          },
          reject: (e: Error) => {
            clearTimeout(timer);
            reject(e);
          },
        };
        waiters.push(waiter);
      });
    },
    send(message) {
      child.send(message);
    },
    exited(timeoutMs) {
      if (exitCode !== undefined) return Promise.resolve(exitCode);
      return new Promise((resolve) => {
        const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
        exitWaiters.push((code) => {
          clearTimeout(timer);
          resolve(code);
        });
      });
    },
  };
}

/** In a worker: receive the parent's messages of `type`. */
export function onParentMessage(type: string, fn: (m: WorkerMessage) => void): void {
  process.on("message", (raw) => {
    const m = raw as WorkerMessage;
    if (m.type === type) fn(m);
  });
}

/** In a worker: send a message and resolve once it is flushed. */
export function sendToParent(message: WorkerMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error("not started with an IPC channel"));
    process.send(message, undefined, {}, (e) => (e ? reject(e) : resolve()));
  });
}
