import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { REPO_ROOT } from "./cli/run-cli.js";

/** The crank child of the crash tests (see fixtures/crank-child.ts for its arguments). */
export const CRANK_CHILD = fileURLToPath(new URL("./fixtures/crank-child.ts", import.meta.url));

export interface TsChild {
  proc: ChildProcess;
  /** Complete stdout lines so far. */
  lines: string[];
  /** The tail of stderr (bounded). */
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when stdout has said `word`; rejects if the process exits first or after `timeoutMs`. */
  waitForLine(word: string, timeoutMs: number): Promise<void>;
  /** SIGKILL; resolves when the process is gone. */
  kill9(): Promise<void>;
}

const STDERR_LIMIT = 20_000;

/** Run a TypeScript file as a child process (`node --import tsx`), from the repository root. */
export function spawnTs(script: string, args: string[], opts: { env?: NodeJS.ProcessEnv; stdin?: boolean } = {}): TsChild {
  const proc = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: REPO_ROOT,
    stdio: [opts.stdin ? "pipe" : "ignore", "pipe", "pipe"],
    env: opts.env ?? process.env,
  });
  const lines: string[] = [];
  let out = "";
  let err = "";
  const listeners = new Set<() => void>();
  proc.stdout?.on("data", (d: Buffer) => {
    out += String(d);
    const parts = out.split("\n");
    out = parts.pop() ?? "";
    lines.push(...parts);
    for (const l of listeners) l();
  });
  proc.stderr?.on("data", (d: Buffer) => {
    err = (err + String(d)).slice(-STDERR_LIMIT);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => proc.once("exit", (code, signal) => r({ code, signal })));
  const gone = () => proc.exitCode !== null || proc.signalCode !== null;
  return {
    proc,
    lines,
    stderr: () => err,
    exited,
    waitForLine(word, timeoutMs) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (lines.some((l) => l.includes(word)) || out.includes(word)) finish(null);
        };
        const timer = setTimeout(() => finish(new Error(`child did not say "${word}" in ${timeoutMs} ms: ${err.slice(-2000)}`)), timeoutMs);
        const onExit = (code: number | null) => finish(new Error(`child exited (${code}) before "${word}": ${err.slice(-2000)}`));
        function finish(e: Error | null): void {
          clearTimeout(timer);
          listeners.delete(check);
          proc.off("exit", onExit);
          if (e) reject(e);
          else resolve();
        }
        listeners.add(check);
        proc.once("exit", onExit);
        check();
      });
    },
    kill9() {
      return new Promise<void>((resolve) => {
        if (gone()) return resolve();
        proc.once("exit", () => resolve());
        proc.kill("SIGKILL");
      });
    },
  };
}

/** Everything a child process writes, as text so far (the child's stdout and stderr must be pipes). */
export function captureOutput(child: ChildProcess): { stdout(): string; stderr(): string } {
  let out = "";
  let err = "";
  child.stdout?.setEncoding("utf8").on("data", (s: string) => {
    out += s;
  });
  child.stderr?.setEncoding("utf8").on("data", (s: string) => {
    err += s;
  });
  return { stdout: () => out, stderr: () => err };
}
