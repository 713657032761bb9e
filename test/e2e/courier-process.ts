/**
 * E2E helpers: `courier start` as a real child process (bounded in time, always killed), free
 * ports, and small HTTP helpers for the admin API.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { getCleanEnv, getCliArgv, waitFor as waitForValue, captureOutput } from "@courier/testing";

export interface CourierProcess {
  child: ChildProcess;
  /** The "courier ready: …" line. */
  readyLine: string;
  adminUrl: string | null;
  localnetUrl: string | null;
  signer: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  exited: Promise<number | string>;
}

const running = new Set<ChildProcess>();

export { getFreePort } from "@courier/testing";

export async function startCourierProcess(opts: {
  args: string[];
  env: Record<string, string>;
  cwd: string;
  readyTimeoutMs?: number;
}): Promise<CourierProcess> {
  const child = spawn(process.execPath, getCliArgv(["start", ...opts.args]), {
    cwd: opts.cwd,
    env: getCleanEnv(opts.env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  const output = captureOutput(child);
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? -1);
    });
  });
  const timeoutMs = opts.readyTimeoutMs ?? 120_000;
  const readyLine = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`courier start not ready within ${timeoutMs} ms; stderr: ${output.stderr().slice(-2000)}`));
    }, timeoutMs);
    const check = () => {
      const line = output.stderr().split("\n").find((l) => l.startsWith("courier ready:"));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    };
    child.stderr?.on("data", check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`courier start exited (${code}) before ready; stderr: ${output.stderr().slice(-2000)}; stdout: ${output.stdout().slice(-2000)}`));
    });
  });
  return {
    child,
    readyLine,
    adminUrl: /admin (http:\/\/[^/\s]+)/.exec(readyLine)?.[1] ?? null,
    localnetUrl: /localnet (http:\/\/[^,\s)]+)/.exec(readyLine)?.[1] ?? null,
    signer: /signer ([1-9A-HJ-NP-Za-km-z]+)/.exec(readyLine)?.[1] ?? "",
    stdout: () => output.stdout(),
    stderr: () => output.stderr(),
    exited,
  };
}

/** SIGTERM, then the exit code; SIGKILL and fail if it does not exit within `timeoutMs`. */
export async function stopCourierProcess(p: CourierProcess, timeoutMs = 30_000): Promise<number | string> {
  p.child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      p.child.kill("SIGKILL");
      reject(new Error(`courier did not exit within ${timeoutMs} ms of SIGTERM; stderr: ${p.stderr().slice(-2000)}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([p.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** For afterEach: kill whatever a failed test left running. */
export function killAllCourierProcesses(): void {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
}

export async function getJson<T = Record<string, unknown>>(url: string, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function postJson<T = Record<string, unknown>>(url: string, body: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** Poll `fn` until it returns a value (not undefined), bounded in time. */
export function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000, intervalMs = 250): Promise<T> {
  return waitForValue(what, fn, { timeoutMs, intervalMs });
}
