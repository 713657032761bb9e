/**
 * Test-only: a PostgreSQL server for the store tests. `getTestPostgres()` uses
 * COURIER_TEST_PG_URL when set (CI starts one in .ci/postgres); otherwise it starts a throwaway
 * cluster itself (initdb into a temp dir, pg_ctl on 127.0.0.1 and a free port, as the `postgres`
 * user when running as root) so a developer's `pnpm test` exercises the PostgreSQL store too.
 * It returns null only when no PostgreSQL can be started here; with COURIER_REQUIRE_PG=1 (CI)
 * that is an error instead, so CI never silently skips these tests.
 */
import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll } from "vitest";

const run = promisify(execFile);

export interface TestPostgres {
  /** URL of a database the tests may create schemas in. */
  url: string;
  /** Stops the cluster this helper started (no-op for an external COURIER_TEST_PG_URL). */
  stop(): Promise<void>;
}

/** Directory holding initdb and pg_ctl: PATH first, then Debian's per-version directories. */
export function findPgBinDir(): string | null {
  const candidates: string[] = [];
  for (const dir of (process.env.PATH ?? "").split(":")) if (dir) candidates.push(dir);
  if (existsSync("/usr/lib/postgresql")) {
    const versions = readdirSync("/usr/lib/postgresql")
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(`/usr/lib/postgresql/${v}/bin`);
  }
  return candidates.find((d) => existsSync(join(d, "initdb")) && existsSync(join(d, "pg_ctl"))) ?? null;
}

/** A free TCP port on 127.0.0.1 (bound, then released: a child may bind it, or nothing listens there). */
export function getFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === "object" ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

async function idOf(user: string): Promise<{ uid: number; gid: number } | null> {
  try {
    const uid = Number((await run("id", ["-u", user])).stdout.trim());
    const gid = Number((await run("id", ["-g", user])).stdout.trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

/** Start a throwaway cluster; throws with the server's own words when it cannot. */
export async function startLocalPostgres(): Promise<TestPostgres> {
  const bin = findPgBinDir();
  if (!bin) throw new Error("no PostgreSQL server binaries (initdb, pg_ctl) on PATH or under /usr/lib/postgresql/*/bin");
  const dir = mkdtempSync(join(tmpdir(), "courier-test-pg-"));
  let prefix: string[] = [];
  if (userInfo().uid === 0) {
    // The server refuses to run as root.
    let ids = await idOf("postgres");
    if (!ids) {
      await run("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"]);
      ids = await idOf("postgres");
    }
    if (!ids) throw new Error("cannot find or create the postgres user");
    chownSync(dir, ids.uid, ids.gid);
    prefix = ["runuser", "-u", "postgres", "--"];
  }
  const exec = (file: string, args: string[]) => {
    const argv = [...prefix, join(bin, file), ...args];
    return run(argv[0] as string, argv.slice(1), { timeout: 90_000 });
  };
  const data = join(dir, "data");
  const port = await getFreePort();
  let started = false;
  try {
    await exec("initdb", ["-D", data, "-U", "courier", "--auth=trust", "--encoding=UTF8", "--no-sync"]);
    await exec("pg_ctl", [
      "-D",
      data,
      "-l",
      join(dir, "server.log"),
      "-w",
      "-t",
      "60",
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300`,
      "start",
    ]);
    started = true;
    const admin = new pg.Client({ connectionString: `postgres://courier@127.0.0.1:${port}/postgres` });
    await admin.connect();
    try {
      await admin.query("CREATE DATABASE courier_test");
    } finally {
      await admin.end();
    }
  } catch (e) {
    const log = existsSync(join(dir, "server.log")) ? readFileSync(join(dir, "server.log"), "utf8").slice(-2000) : "";
    if (started) await exec("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`cannot start a local PostgreSQL: ${e instanceof Error ? e.message : String(e)}\n${log}`);
  }
  let stopped = false;
  return {
    url: `postgres://courier@127.0.0.1:${port}/courier_test`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await exec("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The PostgreSQL the tests use, or null when none can be started here (tests then skip).
 * With COURIER_REQUIRE_PG=1 a missing PostgreSQL throws.
 */
export async function getTestPostgres(): Promise<TestPostgres | null> {
  const external = process.env.COURIER_TEST_PG_URL;
  if (external) return { url: external, stop: async () => undefined };
  try {
    return await startLocalPostgres();
  } catch (e) {
    if (process.env.COURIER_REQUIRE_PG === "1") throw e;
    process.stderr.write(`[postgres tests] skipped: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}\n`);
    return null;
  }
}

let schemaSeq = 0;

/** A schema name unique to this process and call (tests get a fresh, empty store each). */
export function freshSchemaName(prefix = "t"): string {
  schemaSeq += 1;
  return `${prefix}_${process.pid}_${schemaSeq}_${Math.random().toString(36).slice(2, 8)}`;
}

/** Drop schemas this process created (best effort; the throwaway cluster goes away anyway). */
export async function dropSchemas(url: string, schemas: string[]): Promise<void> {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * The test PostgreSQL of one test file (null when there is none) and the list of schemas the file
 * creates: after the file, the schemas are dropped and a server this helper started is stopped.
 */
export async function useTestPostgres(): Promise<{ server: TestPostgres | null; schemas: string[] }> {
  const server = await getTestPostgres();
  const schemas: string[] = [];
  afterAll(async () => {
    if (!server) return;
    await dropSchemas(server.url, schemas).catch(() => undefined);
    await server.stop();
  });
  return { server, schemas };
}
