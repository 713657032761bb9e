/**
 * Acceptance on the real localnet: cancel never reports `cancelled` for a run whose transaction
 * may land (under a 2.5 s latency fault, so the window between signing and landing is wide), and
 * a retry after an on-chain failure signs a new transaction and pays exactly once.
 */
import { Keypair } from "@solana/web3.js";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "@courier/testing";
import { createHarness, type Harness, LAMPORTS_PER_SOL } from "./helpers/harness.js";

const LATENCY_MS = 2_500;

/** Calls here take seconds each: a long, bounded wait. */
const LONG_WAIT = { timeoutMs: 60_000, intervalMs: 25 };

describe("cancel while a transaction may land (2.5 s RPC latency)", () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it("never reads cancelled with the money moved", async () => {
    // Calls take 2.5 s each: timeouts well above that, so latency is latency, not an outage.
    // No shared blockhash: every signing waits one slow call, so "claimed, not yet signed" lasts 2.5 s.
    h = await createHarness({ pool: { timeoutMs: 20_000, sendTimeoutMs: 20_000 }, executor: { blockhashCacheMs: 1 } });
    await h.localnet.setFaults({ latency_ms: LATENCY_MS });
    const lamports = 1_000_000;
    const to = () => Keypair.generate().publicKey.toBase58();

    // A: one-off, cancelled after its transaction was signed → 409-style refusal, lands, succeeded.
    const aTo = to();
    const a = await h.schedule("sol.transfer", { to: aTo, lamports });
    await waitFor("A's ledger entry", async () => (await h.store.getLedgerEntries(a.id, 1)).length > 0, LONG_WAIT);
    const refused = await h.store.cancelOp({ id: a.id, now: Date.now() });
    expect(refused).toMatchObject({ changed: false, in_flight: true });

    // B: one-off, cancelled while claimed but before signing (its blockhash fetch takes 2.5 s):
    // cancelled at once, and its ledger write is refused, so nothing is ever sent.
    const bTo = to();
    const b = await h.schedule("sol.transfer", { to: bTo, lamports });
    await waitFor("B claimed", async () => (await h.store.getOp(b.id))?.status === "running", LONG_WAIT);
    expect((await h.store.getLedgerEntries(b.id, 1)).length).toBe(0);
    expect(await h.store.cancelOp({ id: b.id, now: Date.now() })).toMatchObject({ changed: true, op: { status: "cancelled" } });
    await waitFor("B's attempt to end", async () => h.logLines.some((l) => l.includes('"op.end"') && l.includes(b.id)), LONG_WAIT);

    // C: recurring, cancelled with its run in flight: no further run, cancelled once it resolves.
    const cTo = to();
    const c = await h.schedule("sol.transfer", { to: cTo, lamports }, { every_ms: 60_000 });
    await waitFor("C's ledger entry", async () => (await h.store.getLedgerEntries(c.id, 1)).length > 0, LONG_WAIT);
    expect(await h.store.cancelOp({ id: c.id, now: Date.now() })).toMatchObject({ changed: true, op: { after_run: "cancel" } });

    const [aDone, bDone, cDone] = await h.waitTerminal([a.id, b.id, c.id], 90_000);
    await h.localnet.setFaults({});
    expect(aDone).toMatchObject({ status: "succeeded" });
    expect(h.localnet.getBalance(aTo)).toBe(BigInt(lamports));
    expect(bDone).toMatchObject({ status: "cancelled" });
    expect(await h.store.getLedgerEntries(b.id, 1)).toEqual([]);
    expect(h.localnet.getBalance(bTo)).toBe(0n);
    // Run 1 landed; run 2 (the next slot) never started.
    expect(cDone).toMatchObject({ status: "cancelled", exec_count: 1, run: 2 });
    expect(await h.store.getLedgerEntries(c.id, 2)).toEqual([]);
    expect(h.localnet.getBalance(cTo)).toBe(BigInt(lamports));
    // The rule itself: an op that reads cancelled never has a transaction of its last run on chain.
    for (const op of [aDone, bDone, cDone]) {
      if (op?.status !== "cancelled" || op.schedule.kind !== "once") continue;
      const entries = await h.store.getLedgerEntries(op.id, op.run);
      expect(entries.filter((e) => e.state !== "failed" && e.state !== "expired")).toEqual([]);
    }
  }, 150_000);
});

describe("retry after an on-chain failure", () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it("fund-then-retry signs a new transaction, succeeds and pays once; attempt numbers keep increasing", async () => {
    h = await createHarness({ fund: 2 * LAMPORTS_PER_SOL });
    const to = Keypair.generate().publicKey.toBase58();
    const lamports = 5 * LAMPORTS_PER_SOL;
    const op = await h.schedule("sol.transfer", { to, lamports });
    const [failed] = await h.waitTerminal([op.id], 60_000);
    expect(failed).toMatchObject({ status: "failed" });
    expect(h.localnet.getBalance(to)).toBe(0n);

    h.localnet.airdrop(h.signer.publicKey.toBase58(), 10 * LAMPORTS_PER_SOL);
    expect(await h.store.retryOp({ id: op.id, now: Date.now() })).toMatchObject({ changed: true, op: { status: "pending" } });
    h.crank.wake();
    const [done] = await h.waitTerminal([op.id], 60_000);
    expect(done).toMatchObject({ status: "succeeded", exec_count: 1 });
    expect(h.localnet.getBalance(to)).toBe(BigInt(lamports));

    // The first attempt is refused before signing (the signer cannot cover it: nothing lands,
    // no fee is paid), so the ledger holds only the retry's transaction, which landed.
    const ledger = await h.store.getLedgerEntries(op.id, 1);
    expect(ledger.map((e) => e.state)).toEqual(["landed"]);
    const attempts = (await h.store.getAttempts(op.id)).filter((a) => a.outcome !== "ambiguous" && a.outcome !== "infra");
    expect(attempts.map((a) => a.outcome)).toEqual(["permanent", "ok"]);
    const numbers = attempts.map((a) => a.attempt);
    expect(numbers[1]).toBeGreaterThan(numbers[0] as number);
  }, 150_000);
});
