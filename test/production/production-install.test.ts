/**
 * Issue 17 acceptance: a production install (`pnpm build` + `pnpm deploy --prod`) runs the
 * compiled CLI with plain node, without TypeScript, tsx or any development dependency:
 * `--version` prints the version and `courier start --log-format pretty` (embedded localnet, free
 * ports) answers /healthz, logs human-readable lines, then stops cleanly on SIGTERM. And the
 * newcomer's `pnpm start`, stopped as a terminal's Ctrl-C stops it (SIGINT to the whole process
 * group: pnpm, the shell of the script and node), exits 0 without pnpm's ELIFECYCLE failure.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getFreePort, waitFor } from "../e2e/courier-process.js";
import { captureOutput } from "@courier/testing";
import { type Deployment, REPO_ROOT, deployProduction, getPnpm, getProductionEnv } from "./deploy.js";

const run = promisify(execFile);
let deployment: Deployment;
let child: ChildProcess | null = null;

beforeAll(async () => {
  deployment = await deployProduction();
}, 900_000);
afterAll(() => {
  child?.kill("SIGKILL");
  deployment?.remove();
});

// Child processes of a production install, each bounded below; a loaded CI machine needs minutes.
describe("production install", { timeout: 300_000 }, () => {
  it("holds compiled JavaScript and production dependencies only", () => {
    const rootPkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
    // @types/* excepted: runtime libraries (jayson) declare some as their own dependencies.
    // a root dev dependency that a workspace package also needs at runtime (p-limit) belongs there
    const runtime = new Set(
      ["apps", "packages"].flatMap((top) =>
        readdirSync(join(REPO_ROOT, top)).flatMap((name) => {
          const file = join(REPO_ROOT, top, name, "package.json");
          return existsSync(file) ? Object.keys((JSON.parse(readFileSync(file, "utf8")) as { dependencies?: Record<string, string> }).dependencies ?? {}) : [];
        }),
      ),
    );
    const devOnly = Object.keys(rootPkg.devDependencies).filter((n) => !n.startsWith("@courier/") && !n.startsWith("@types/") && n !== "typescript" && !runtime.has(n));
    expect(devOnly).toContain("tsx");
    for (const name of [...devOnly, "esbuild", "@vitest/runner"]) expect(deployment.packages, name).not.toContain(name);
    for (const pkg of readdirSync(join(deployment.dir, "node_modules/@courier"))) {
      const dir = join(deployment.dir, "node_modules/@courier", pkg);
      expect(existsSync(join(dir, "dist/index.js")), pkg).toBe(true);
      expect(existsSync(join(dir, "src")), `${pkg} ships no sources`).toBe(false);
    }
    expect(existsSync(join(deployment.dir, "src"))).toBe(false);
    // TypeScript is present only as a declared peer of @solana/* type definitions; removing it
    // proves nothing at runtime loads it.
    for (const d of readdirSync(join(deployment.dir, "node_modules/.pnpm"))) {
      if (d.startsWith("typescript@")) rmSync(join(deployment.dir, "node_modules/.pnpm", d), { recursive: true, force: true });
    }
  });

  it("prints its version", async () => {
    const { stdout } = await run(process.execPath, [deployment.cli, "--version"], { env: getProductionEnv({}), timeout: 60_000 });
    const version = (JSON.parse(readFileSync(join(REPO_ROOT, "apps/courier/package.json"), "utf8")) as { version: string }).version;
    expect(stdout.trim()).toBe(version);
  });

  it("starts with plain node and answers /healthz", async () => {
    const work = mkdtempSync(join(tmpdir(), "courier-prod-run-"));
    try {
      const port = await getFreePort();
      const env = getProductionEnv({ COURIER_LOCALNET_PORT: "0", COURIER_ADMIN_PORT: String(port), COURIER_DB: join(work, "courier.db") });
      const proc = spawn(process.execPath, [deployment.cli, "start", "--log-format", "pretty"], { cwd: work, env, stdio: ["ignore", "pipe", "pipe"] });
      child = proc;
      const output = captureOutput(proc);
      const exited = new Promise<number | string>((resolve) => proc.once("exit", (code, signal) => resolve(code ?? signal ?? -1)));
      const health = await waitFor(
        `/healthz of the production install (stderr: ${output.stderr().slice(-500)})`,
        async () => {
          if (proc.exitCode !== null) throw new Error(`exited ${proc.exitCode}: ${output.stderr().slice(-2000)}`);
          const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5_000) });
          return res.status === 200 ? ((await res.json()) as unknown) : undefined;
        },
        120_000,
        500,
      );
      expect(health).toMatchObject({ ok: true });
      // --log-format pretty: human lines even into a pipe.
      expect(output.stdout()).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}courier\.ready /m);
      expect(output.stdout()).not.toContain('"level":');
      proc.kill("SIGTERM");
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r("timeout"), 60_000))]);
      expect(code, output.stderr().slice(-2000)).toBe(0);
      child = null;
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it("`pnpm start` stopped by Ctrl-C (SIGINT to the process group) exits 0", async () => {
    const work = mkdtempSync(join(tmpdir(), "courier-pnpm-start-"));
    const pnpm = getPnpm();
    try {
      const port = await getFreePort();
      const env = getProductionEnv({ COURIER_LOCALNET_PORT: "0", COURIER_ADMIN_PORT: String(port), COURIER_DB: join(work, "courier.db") });
      // detached: its own process group, as a terminal's foreground job is
      const proc = spawn(pnpm.file, [...pnpm.args, "start", "--no-demo"], { cwd: REPO_ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
      child = proc;
      const captured = captureOutput(proc);
      const output = () => captured.stdout() + captured.stderr();
      const exited = new Promise<number | string>((resolve) => proc.once("exit", (code, signal) => resolve(code ?? signal ?? -1)));
      await waitFor(
        "/healthz of `pnpm start`",
        async () => {
          if (proc.exitCode !== null) throw new Error(`exited ${proc.exitCode}: ${output().slice(-2000)}`);
          const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5_000) });
          return res.status === 200 ? true : undefined;
        },
        240_000,
        500,
      );
      process.kill(-(proc.pid as number), "SIGINT");
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r("timeout"), 90_000))]);
      expect(code, output().slice(-2000)).toBe(0);
      expect(output()).not.toContain("ELIFECYCLE");
      expect(captured.stdout()).toContain("courier.stopped");
      child = null;
    } finally {
      if (child?.pid) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // the group is gone
        }
      }
      rmSync(work, { recursive: true, force: true });
    }
  }, 400_000);
});

