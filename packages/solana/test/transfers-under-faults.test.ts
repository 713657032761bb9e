/**
 * Acceptance: 500 sol.transfer ops under response drops (the transaction executes, the answer
 * is lost), 5xx and latency. Every recipient must hold exactly its amount: a lost answer must
 * not lead to a second payment, and no op may be given up.
 */
import { Keypair } from "@solana/web3.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_TIMEOUTS } from "@courier/testing";
import { createHarness, type Harness } from "./helpers/harness.js";

const N = 500;

describe("500 transfers under faults", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ slotMs: 40, start: false });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("pays every recipient exactly once, all ops succeed", { timeout: TEST_TIMEOUTS.chaos }, async () => {
    const recipients = Array.from({ length: N }, (_, i) => ({ to: Keypair.generate().publicKey.toBase58(), lamports: 1_000_000 + i * 7 }));
    const ops = [];
    for (const r of recipients) ops.push(await h.schedule("sol.transfer", r));
    await h.localnet.setFaults({ drop_response_rate: 0.3, rate_5xx: 0.1, latency_ms: 50 });
    h.startCrank();
    const done = await h.waitTerminal(
      ops.map((o) => o.id),
      150_000,
    );
    await h.localnet.setFaults({});
    const statuses = done.map((o) => o.status);
    expect(statuses.filter((s) => s !== "succeeded")).toEqual([]);
    expect(done).toHaveLength(N);
    // Balances read after the last op settled; a double payment would show as 2x.
    const wrong: string[] = [];
    for (const r of recipients) {
      const bal = await h.localnet.getBalance(r.to);
      if (bal !== BigInt(r.lamports)) wrong.push(`${r.to}: ${bal} != ${r.lamports}`);
    }
    expect(wrong).toEqual([]);
    const stats = h.executor.stats();
    // One shared poller: far fewer status calls than ops × polls.
    expect(stats.poller.max_batch).toBeGreaterThan(1);
    expect(h.pool.requestCounts().getSignatureStatuses ?? 0).toBeLessThan(N);
  });
});
