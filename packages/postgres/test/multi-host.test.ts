/**
 * Acceptance (issue 8): three crank processes, each its own COURIER_INSTANCE_ID as if on three
 * hosts, share one PostgreSQL store under the localnet's fault mix (lost answers, 5xx, latency)
 * while random processes are SIGKILLed and replaced. Every recipient must end with exactly its
 * amount (no double payment, nothing lost) and no op may be left running.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createActionRegistry, scheduleOp, systemClock } from "@courier/agent";
import { startLocalnet } from "@courier/localnet";
import { generateKeypairFile, registerSolanaActions } from "@courier/solana";
import { Keypair } from "@solana/web3.js";
import { afterAll, describe, expect, it } from "vitest";
import { openPostgresStore, type PostgresStore } from "../src/open.js";
import { CRANK_CHILD, dropSchemas, freshSchemaName, getTestPostgres, TEST_TIMEOUTS, waitForTerminalOps } from "@courier/testing";

const N = 120;
const KILLS = 6;
const HOSTS = ["host-a", "host-b", "host-c"];
const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url));

const server = await getTestPostgres();

describe.skipIf(!server)("multi-host exactly-once on PostgreSQL", () => {
  let localnet: Awaited<ReturnType<typeof startLocalnet>> | undefined;
  let store: PostgresStore | undefined;
  let dir: string | undefined;
  const schema = freshSchemaName("multihost");
  const children = new Map<string, ChildProcess>();
  afterAll(async () => {
    for (const c of children.values()) c.kill("SIGKILL");
    await store?.close();
    await localnet?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
    if (server) {
      await dropSchemas(server.url, [schema]).catch(() => undefined);
      await server.stop();
    }
  });

  it("three processes, random SIGKILLs, faults: every recipient paid exactly once, no op lost", { timeout: TEST_TIMEOUTS.chaos }, async () => {
    const url = (server as { url: string }).url;
    dir = await mkdtemp(join(tmpdir(), "courier-multihost-"));
    localnet = await startLocalnet({ port: 0, slotMs: 40, websocket: false });
    const keypairPath = join(dir, "id.json");
    const signer = await generateKeypairFile(keypairPath);
    await localnet.airdrop(signer.publicKey.toBase58(), 1_000 * 1_000_000_000);
    store = await openPostgresStore(url, { schema });
    const registry = createActionRegistry();
    registerSolanaActions(registry);
    const recipients = Array.from({ length: N }, (_, i) => ({ to: Keypair.generate().publicKey.toBase58(), lamports: 3_000_000 + i * 13 }));
    const ids: string[] = [];
    for (const r of recipients) ids.push((await scheduleOp(store, { action: "sol.transfer", params: r }, { registry, clock: systemClock })).op.id);
    await localnet.setFaults({ drop_response_rate: 0.2, rate_5xx: 0.1, latency_ms: 20 });

    const rpcUrl = localnet.url;
    let generation = 0;
    const launch = async (host: string): Promise<ChildProcess> => {
      // A replacement process gets a new id, as `<hostname>-<pid>` would.
      const instanceId = `${host}-${++generation}`;
      const c = spawn(process.execPath, ["--import", "tsx", CRANK_CHILD, url, rpcUrl, keypairPath, "--schema", schema, "--concurrency", "16", "--batch", "16"], {
        cwd: REPO_ROOT,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, COURIER_INSTANCE_ID: instanceId },
      });
      let stderr = "";
      c.stderr?.on("data", (d: Buffer) => {
        stderr += String(d);
      });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${instanceId} not ready in 30 s: ${stderr.slice(-2000)}`)), 30_000);
        c.stdout?.on("data", (d: Buffer) => {
          if (String(d).includes("ready")) {
            clearTimeout(timer);
            resolve();
          }
        });
        c.once("exit", (code) => {
          clearTimeout(timer);
          reject(new Error(`${instanceId} exited early (${code}): ${stderr.slice(-2000)}`));
        });
      });
      children.set(host, c);
      return c;
    };
    const kill = (c: ChildProcess) =>
      new Promise<void>((resolve) => {
        if (c.exitCode !== null || c.signalCode !== null) return resolve();
        c.once("exit", () => resolve());
        c.kill("SIGKILL");
      });

    // Paused until all three are up: on a loaded machine the first to boot would otherwise take
    // the whole backlog before the others are ready, and nothing would be shared or killed mid-work.
    await store.setPaused({ paused: true, by: "multi-host test", now: Date.now() });
    const t0 = Date.now();
    await Promise.all(HOSTS.map((h) => launch(h)));
    const tReady = Date.now();
    await store.setPaused({ paused: false, by: "multi-host test", now: Date.now() });
    // Kill a random host whose process is up, at random moments; its replacement boots in the
    // background while the other hosts keep working (and may be killed in turn).
    const booting = new Map<string, Promise<ChildProcess>>();
    for (let i = 0; i < KILLS; i++) {
      await new Promise((r) => setTimeout(r, 300 + Math.floor(Math.random() * 1_200)));
      let up = HOSTS.filter((h) => !booting.has(h));
      if (up.length === 0) {
        await Promise.race(booting.values());
        up = HOSTS.filter((h) => !booting.has(h));
      }
      const host = up[Math.floor(Math.random() * up.length)] as string;
      await kill(children.get(host) as ChildProcess);
      const replacement = launch(host);
      booting.set(host, replacement);
      void replacement.then(
        () => booting.delete(host),
        () => undefined,
      );
    }
    await Promise.all(booting.values());
    await localnet.setFaults({});
    const tKills = Date.now();
    const done = await waitForTerminalOps(store, ids, { timeoutMs: 120_000, intervalMs: 200 });
    const settled = done.filter((o) => o.status === "succeeded").length;
    console.log(`multi-host: ready ${tReady - t0} ms, kills ${tKills - tReady} ms, drain ${Date.now() - tKills} ms; ${settled}/${N} succeeded`);
    await Promise.all(
      [...children.values()].map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once("exit", () => resolve());
            c.kill("SIGTERM");
          }),
      ),
    );
    children.clear();

    expect(done.filter((o) => o.status !== "succeeded").map((o) => `${o.id}:${o.status}:${o.last_error}`)).toEqual([]);
    expect(done).toHaveLength(N);
    expect((await store.listOps({ status: "running", limit: 10 })).ops).toEqual([]);
    // Work really was shared: attempts were ended by more than one process.
    const instances = new Set<string>();
    for (const id of ids) for (const a of await store.getAttempts(id)) instances.add(a.instance);
    expect(instances.size).toBeGreaterThan(1);
    const wrong: string[] = [];
    for (const r of recipients) {
      const bal = await localnet.getBalance(r.to);
      if (bal !== BigInt(r.lamports)) wrong.push(`${r.to}: ${bal} != ${r.lamports}`);
    }
    expect(wrong).toEqual([]);
  });
});

