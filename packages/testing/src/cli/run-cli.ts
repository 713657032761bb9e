/** Test helper: run the real CLI as a child process (`node --import tsx …/cli.ts`), bounded in time. */
import { execFile } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
export const CLI_PATH = join(REPO_ROOT, "apps/courier/src/cli.ts");
/** tsx's loader by absolute URL, so a child may run in any working directory. */
export const TSX_LOADER = pathToFileURL(join(REPO_ROOT, "node_modules/tsx/dist/loader.mjs")).href;

/** node arguments that run the CLI with `args`. */
export function getCliArgv(args: string[]): string[] {
  return ["--import", TSX_LOADER, CLI_PATH, ...args];
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The parent's environment without any COURIER_* variable (a developer's shell must not leak in). */
export function getCleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("COURIER_")) env[k] = v;
  return { ...env, ...extra };
}

export function runCli(args: string[], env: Record<string, string>, opts: { timeoutMs?: number; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    execFile(
      process.execPath,
      getCliArgv(args),
      { cwd: opts.cwd ?? REPO_ROOT, env: getCleanEnv(env), timeout: opts.timeoutMs ?? 60_000, killSignal: "SIGKILL" },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolvePromise({ code, stdout, stderr });
      },
    );
  });
}

/** Run several CLI invocations, a few at a time (each child compiles TypeScript on a small machine). */
export async function runCliBatch(calls: Array<{ args: string[]; env: Record<string, string> }>, parallel = 3): Promise<CliResult[]> {
  const results: CliResult[] = new Array(calls.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < calls.length) {
      const i = next++;
      const call = calls[i] as { args: string[]; env: Record<string, string> };
      results[i] = await runCli(call.args, call.env);
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, calls.length) }, worker));
  return results;
}
