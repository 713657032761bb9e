/**
 * Acceptance: the batched send pipeline (one ledger commit for a batch of signed transactions,
 * then their first sends in one JSON-RPC batch request) keeps exactly-once across SIGKILLs of a
 * real crank process, at the two moments the batching adds; and an endpoint that refuses batches
 * gets single requests and still confirms everything.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createActionRegistry, type Store, scheduleOp, systemClock } from "@courier/agent";
import { startLocalnet } from "@courier/localnet";
import { generateKeypairFile, registerSolanaActions } from "@courier/solana";
import { openSqliteStore } from "@courier/sqlite";
import { CRANK_CHILD, spawnTs, type TsChild } from "@courier/testing";
import { Keypair } from "@solana/web3.js";
import { afterEach, describe, expect, it } from "vitest";
import { createHarness, type Harness, type Localnet, waitTerminal } from "./helpers/harness.js";

const N = 120;

interface Stats {
  transactions: number;
  batch_requests: number;
  batches_refused: number;
  requests_by_method: Record<string, number>;
}

async function stats(localnet: Localnet): Promise<Stats> {
  return (await (await fetch(`${localnet.url}/__localnet/stats`)).json()) as Stats;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("batched send pipeline", () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function setup() {
    const dir = await mkdtemp(join(tmpdir(), "courier-batch-"));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const localnet = await startLocalnet({ port: 0, slotMs: 40, websocket: false });
    cleanup.push(() => localnet.stop());
    const dbPath = join(dir, "courier.db");
    const keypairPath = join(dir, "id.json");
    const signer = await generateKeypairFile(keypairPath);
    await localnet.airdrop(signer.publicKey.toBase58(), 1_000 * 1_000_000_000);
    const store: Store = await openSqliteStore(dbPath);
    cleanup.push(() => store.close());
    const registry = createActionRegistry();
    registerSolanaActions(registry);
    const recipients = Array.from({ length: N }, (_, i) => ({ to: Keypair.generate().publicKey.toBase58(), lamports: 3_000_000 + i * 13 }));
    const ids: string[] = [];
    for (const r of recipients) ids.push((await scheduleOp(store, { action: "sol.transfer", params: r }, { registry, clock: systemClock })).op.id);
    const children: TsChild[] = [];
    cleanup.push(async () => {
      for (const c of children) await c.kill9();
    });
    const startChild = async (): Promise<TsChild> => {
      const c = spawnTs(CRANK_CHILD, [dbPath, localnet.url, keypairPath, "--concurrency", "64"]);
      children.push(c);
      await c.waitForLine("ready", 60_000);
      return c;
    };
    /** Ops with a ledger entry (signed, written ahead of any send). */
    const written = async () => {
      let n = 0;
      for (const id of ids) if ((await store.getOpLedger(id)).length > 0) n++;
      return n;
    };
    /** Restart, let everything finish, and check each recipient was paid exactly once. */
    const finishAndCheck = async () => {
      const c = await startChild();
      const done = await waitTerminal(store, ids, 90_000);
      c.proc.kill("SIGTERM");
      await c.exited;
      expect(done.filter((o) => o.status !== "succeeded").map((o) => `${o.id}:${o.status}:${o.last_error}`)).toEqual([]);
      const wrong: string[] = [];
      for (const r of recipients) {
        const bal = await localnet.getBalance(r.to);
        if (bal !== BigInt(r.lamports)) wrong.push(`${r.to}: ${bal} != ${r.lamports}`);
      }
      expect(wrong).toEqual([]);
      expect((await stats(localnet)).transactions).toBe(N);
    };
    return { localnet, store, ids, startChild, written, finishAndCheck };
  }

  it("SIGKILL after the batched ledger write, before any send reached the node: resumed, every op once", { timeout: 180_000 }, async () => {
    const t = await setup();
    // Sends are refused at the door (503: not executed), so the kill lands between the durable
    // ledger entries and any send the node took.
    t.localnet.setFaults({ status_by_method: { sendTransaction: 503 } });
    const child = await t.startChild();
    await until("a batch of ledger entries written", async () => (await t.written()) >= 10, 60_000);
    await child.kill9();
    expect((await stats(t.localnet)).transactions).toBe(0);
    expect(await t.written()).toBeGreaterThanOrEqual(10);
    t.localnet.setFaults({});
    await t.finishAndCheck();
  });

  it("SIGKILL in the middle of a batch send (the node executes it, the answer never comes back): every op once", { timeout: 180_000 }, async () => {
    const t = await setup();
    // Every request waits 700 ms on the node's side (under the child's 1 s timeout) before it
    // takes effect and is answered: a kill as soon as a batch arrived lands mid-send.
    t.localnet.setFaults({ latency_ms: 700 });
    const child = await t.startChild();
    await until("a batch send on the wire", async () => (await stats(t.localnet)).batch_requests > 0 && (await t.written()) > 1, 60_000);
    await child.kill9();
    const before = await stats(t.localnet);
    expect(before.batch_requests).toBeGreaterThan(0);
    // The held-back batch still executes after the kill: those payments must not be made twice.
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await stats(t.localnet)).transactions).toBeGreaterThan(0);
    t.localnet.setFaults({});
    await t.finishAndCheck();
  });

  /** A burst of N transfers through an in-process Courier; every recipient paid exactly once. */
  async function burstThrough(faults: Parameters<Harness["localnet"]["setFaults"]>[0], base: number): Promise<Stats> {
    const h: Harness = await createHarness({ slotMs: 20, crank: { concurrency: 32 } });
    cleanup.push(() => h.close());
    h.localnet.setFaults(faults);
    const list = Array.from({ length: N }, (_, i) => ({ to: Keypair.generate().publicKey.toBase58(), lamports: base + i * 7 }));
    const ops = [];
    for (const r of list) ops.push(await h.schedule("sol.transfer", r));
    const done = await h.waitTerminal(
      ops.map((o) => o.id),
      90_000,
    );
    expect(done.map((o) => o.status).filter((st) => st !== "succeeded")).toEqual([]);
    for (const r of list) expect(await h.localnet.getBalance(r.to)).toBe(BigInt(r.lamports));
    const s = await stats(h.localnet);
    expect(s.transactions).toBe(N);
    return s;
  }

  it("an endpoint that refuses batches gets single requests and everything confirms", { timeout: 120_000 }, async () => {
    const s = await burstThrough({ refuse_batches: true }, 4_000_000);
    // Batch support was tried, refused, and not asked again: every send went alone.
    expect(s.batches_refused).toBeGreaterThanOrEqual(1);
    expect(s.batch_requests).toBe(s.batches_refused);
  });

  it("an endpoint that takes batches gets the burst's first sends in batch requests", { timeout: 120_000 }, async () => {
    const s = await burstThrough({}, 5_000_000);
    expect(s.batch_requests).toBeGreaterThan(0);
    expect(s.batches_refused).toBe(0);
  });
});
