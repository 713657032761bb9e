/**
 * Acceptance: a crank process SIGKILLed at random moments (≥ 10 times) and restarted each time.
 * The ledger written before each first send is what lets a restarted process resume the same
 * signed bytes instead of paying again: balances must be exact, nothing left running.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createActionRegistry, type Store, scheduleOp, systemClock } from "@courier/agent";
import { startLocalnet } from "@courier/localnet";
import { generateKeypairFile, registerSolanaActions } from "@courier/solana";
import { Keypair } from "@solana/web3.js";
import { afterAll, describe, expect, it } from "vitest";
import { type Localnet, waitTerminal } from "./helpers/harness.js";
import { openSqliteStore } from "@courier/sqlite";
import { CRANK_CHILD, waitFor } from "@courier/testing";

const N = 200;
const KILLS = 10;
/** Ops added whenever fewer than this many are still pending (a child can pay ~100/s). */
const TOP_UP = 100;
const MAX_OPS = 1_500;
/** Children loading ahead of need. */
const AHEAD = 2;
const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url));

describe("crash and restart", () => {
  let localnet: Localnet | undefined;
  let store: Store | undefined;
  let dir: string | undefined;
  let child: ChildProcess | undefined;
  const spawned = new Set<ChildProcess>();
  afterAll(async () => {
    for (const c of spawned) c.kill("SIGKILL");
    await store?.close();
    await localnet?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("pays every recipient exactly once across 10 SIGKILLs", { timeout: 170_000 }, async () => {
    dir = await mkdtemp(join(tmpdir(), "courier-crash-"));
    localnet = await startLocalnet({ port: 0, slotMs: 40, websocket: false });
    const dbPath = join(dir, "courier.db");
    const keypairPath = join(dir, "id.json");
    const signer = await generateKeypairFile(keypairPath);
    await localnet.airdrop(signer.publicKey.toBase58(), 1_000 * 1_000_000_000);
    store = await openSqliteStore(dbPath);
    const registry = createActionRegistry();
    registerSolanaActions(registry);
    const recipients: Array<{ to: string; lamports: number }> = [];
    const ids: string[] = [];
    const schedule = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const r = { to: Keypair.generate().publicKey.toBase58(), lamports: 2_000_000 + recipients.length * 11 };
        recipients.push(r);
        ids.push((await scheduleOp(store as Store, { action: "sol.transfer", params: r }, { registry, clock: systemClock })).op.id);
      }
    };
    await schedule(N);
    // Work for every kill: a quiet machine finishes the first N within a child or two, and a
    // kill with nothing in flight proves nothing. Topped up while few are pending, bounded in all.
    const topUp = async () => {
      const { ops } = await (store as Store).listOps({ status: "pending", limit: TOP_UP });
      if (ops.length < TOP_UP && recipients.length < MAX_OPS) await schedule(TOP_UP);
    };
    // Lost answers too: a restarted process must not trust "no answer" as "not sent".
    await localnet.setFaults({ drop_response_rate: 0.2 });

    const url = localnet.url;
    const stderrOf = new Map<ChildProcess, () => string>();
    // A child is spawned ahead (modules loaded, loop not started) and told to go when needed.
    const spawnWarm = async (): Promise<ChildProcess> => {
      const c = spawn(process.execPath, ["--import", "tsx", CRANK_CHILD, dbPath, url, keypairPath, "--wait-go"], {
        cwd: REPO_ROOT,
        stdio: ["pipe", "pipe", "pipe"],
      });
      spawned.add(c);
      let err = "";
      c.stderr?.on("data", (d: Buffer) => {
        err = (err + String(d)).slice(-4_000);
      });
      stderrOf.set(c, () => err);
      await waitForLine(c, "loaded", 60_000);
      return c;
    };
    const go = async (c: ChildProcess): Promise<ChildProcess> => {
      c.stdin?.write("go\n");
      await waitForLine(c, "ready", 10_000);
      return c;
    };
    const kill = (c: ChildProcess) =>
      new Promise<void>((resolve) => {
        if (c.exitCode !== null || c.signalCode !== null) return resolve();
        c.once("exit", () => resolve());
        c.kill("SIGKILL");
      });

    // Successors load while the current child works (loading takes seconds on a busy machine),
    // so a child's life is the random delay, not its start-up time.
    const queue: Promise<ChildProcess>[] = [];
    let launched = 0;
    const refill = () => {
      while (queue.length < AHEAD && launched < KILLS + 1) {
        const p = spawnWarm();
        p.catch(() => undefined); // awaited later; keep an early failure from being "unhandled"
        queue.push(p);
        launched++;
      }
    };
    const nextChild = async () => {
      refill();
      const p = queue.shift();
      if (!p) throw new Error("no child queued");
      const c = await go(await p);
      refill();
      return c;
    };
    // Ops a child holds mid-flight: running under its lease, with a signed transaction on record.
    const opened = store;
    const getMidFlight = async (c: ChildProcess): Promise<number> => {
      const owner = `child-${c.pid}`;
      const { ops } = await opened.listOps({ status: "running", limit: N });
      let n = 0;
      for (const op of ops) if (op.lease_owner === owner && (await opened.getOpLedger(op.id)).length > 0) n++;
      return n;
    };
    let kills = 0;
    let inFlightAtKill = 0;
    for (let i = 0; i < KILLS; i++) {
      await topUp();
      child = await nextChild();
      // A random moment, but never before the child is seen working (on a loaded machine its
      // loop can take seconds to get going): the kill then lands mid-work by construction.
      await new Promise((r) => setTimeout(r, 300 + Math.floor(Math.random() * 1_200)));
      const working = child;
      const holding = async () => {
        await topUp();
        return (await getMidFlight(working)) > 0;
      };
      await waitFor(`child ${i + 1} holding an op mid-flight`, holding, { timeoutMs: 30_000 }).catch(async (e: unknown) => {
        const open = await store?.listOps({ status: "running", limit: 5 });
        throw new Error(
          `${e instanceof Error ? e.message : String(e)}; child exit ${working.exitCode ?? working.signalCode ?? "none"}; running ${JSON.stringify(open?.ops.map((o) => o.lease_owner))}; stderr: ${stderrOf.get(working)?.() ?? ""}`,
        );
      });
      await kill(child);
      kills++;
      // Nobody else runs until the successor is told to go, so this is what the kill interrupted.
      inFlightAtKill += await getMidFlight(child);
    }
    await localnet.setFaults({});
    let doneBeforeFinal = 0;
    for (const id of ids) if ((await store.getOp(id))?.status === "succeeded") doneBeforeFinal++;
    console.log(`crash test: ${ids.length} ops, ${doneBeforeFinal} done by killed processes, ${inFlightAtKill} left mid-flight, summed over the kills`);
    child = await nextChild();
    const done = await waitTerminal(store, ids, 90_000);
    await new Promise<void>((resolve) => {
      child?.once("exit", () => resolve());
      child?.kill("SIGTERM");
    });
    child = undefined;

    expect(kills).toBeGreaterThanOrEqual(10);
    // The kills landed mid-work: ops were left with a signed transaction and no verdict, to be
    // resumed from the ledger by a later process (how many the killed ones finished depends on
    // machine load, so it is logged, not asserted).
    expect(inFlightAtKill).toBeGreaterThan(0);
    expect(done.filter((o) => o.status !== "succeeded").map((o) => `${o.id}:${o.status}:${o.last_error}`)).toEqual([]);
    const running = await store.listOps({ status: "running", limit: 10 });
    expect(running.ops).toEqual([]);
    const wrong: string[] = [];
    for (const r of recipients) {
      const bal = await localnet.getBalance(r.to);
      if (bal !== BigInt(r.lamports)) wrong.push(`${r.to}: ${bal} != ${r.lamports}`);
    }
    expect(wrong).toEqual([]);
  });
});

function waitForLine(c: ChildProcess, word: string, timeoutMs: number): Promise<void> {
  let stderr = "";
  c.stderr?.on("data", (d: Buffer) => {
    stderr += String(d);
  });
  return new Promise<void>((resolve, reject) => {
    let out = "";
    const onData = (d: Buffer) => {
      out += String(d);
      if (out.includes(word)) {
        done();
        resolve();
      }
    };
    const onExit = (code: number | null) => {
      done();
      reject(new Error(`child exited (${code}) before "${word}": ${stderr.slice(-2000)}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`child did not say "${word}" in ${timeoutMs} ms: ${stderr.slice(-2000)}`));
    }, timeoutMs);
    function done() {
      clearTimeout(timer);
      c.stdout?.off("data", onData);
      c.off("exit", onExit);
    }
    c.stdout?.on("data", onData);
    c.once("exit", onExit);
  });
}
