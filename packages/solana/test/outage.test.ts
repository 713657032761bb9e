/**
 * Acceptance: RPC outages. A full outage of the only endpoint costs no attempt, keeps the
 * requests to the dead endpoint within the breaker's probe budget, and work resumes soon after
 * recovery. With two endpoints, losing the first fails over with no failed op.
 *
 * The outage lasts the full 60 s of the acceptance criterion, with the production defaults of
 * the pool's breaker and of the crank's infra cooldown. The budget formula is the pool's own
 * `getProbeBudget`. The fail-over case uses a faster breaker to keep its run short.
 */

import { type BreakerOptions, DEFAULT_BREAKER_OPTIONS, getProbeBudget } from "@courier/solana";
import { Keypair } from "@solana/web3.js";
import { afterAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./helpers/harness.js";

const OUTAGE_MS = 60_000;
const CONCURRENCY = 16;
const breaker: BreakerOptions = { failureThreshold: 3, openMs: 400, maxOpenMs: 1_600, halfOpenProbes: 1 };

function transfers(n: number, base: number) {
  return Array.from({ length: n }, (_, i) => ({ to: Keypair.generate().publicKey.toBase58(), lamports: base + i }));
}

describe("rpc outages", () => {
  const harnesses: Harness[] = [];
  afterAll(async () => {
    for (const h of harnesses) await h.close();
  });

  it("a 60 s outage of the only endpoint consumes no attempt, stays within the probe budget, resumes within 5 s", { timeout: 180_000 }, async () => {
    const h = await createHarness({
      slotMs: 20,
      pool: { breaker: DEFAULT_BREAKER_OPTIONS, healthIntervalMs: 5_000 },
      crank: { concurrency: CONCURRENCY },
    });
    harnesses.push(h);
    const before = transfers(10, 1_100_000);
    const warm = [];
    for (const r of before) warm.push(await h.schedule("sol.transfer", r));
    await h.waitTerminal(
      warm.map((o) => o.id),
      15_000,
    );

    await h.localnet.setFaults({ outage: true });
    h.localnet.resetRequestCounts();
    const during = transfers(20, 1_200_000);
    const ops = [];
    for (const r of during) ops.push(await h.schedule("sol.transfer", r, { max_attempts: 2 }));
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    const deadRequests = h.localnet.requestCounts();
    await h.localnet.setFaults({});
    const recoveredAt = Date.now();

    const done = await h.waitTerminal(
      ops.map((o) => o.id),
      30_000,
    );
    expect(done.map((o) => o.status).filter((s) => s !== "succeeded")).toEqual([]);
    const budget = getProbeBudget(DEFAULT_BREAKER_OPTIONS, OUTAGE_MS, CONCURRENCY + 2);
    console.log(`outage: ${totalOf(deadRequests)} requests reached the dead endpoint in ${OUTAGE_MS} ms (budget ${budget})`);
    expect(totalOf(deadRequests)).toBeLessThanOrEqual(budget);
    for (const op of ops) {
      const attempts = await h.store.getAttempts(op.id);
      // infra / ambiguous releases do not count; nothing may have burnt an attempt.
      expect(attempts.filter((a) => a.outcome === "retryable" || a.outcome === "permanent")).toEqual([]);
    }
    const firstOk = Math.min(
      ...(await Promise.all(ops.map(async (o) => (await h.store.getAttempts(o.id)).filter((a) => a.outcome === "ok").map((a) => a.ended_at)))).flat(),
    );
    expect(firstOk - recoveredAt).toBeLessThan(5_000);
    for (const r of during) expect(await h.localnet.getBalance(r.to)).toBe(BigInt(r.lamports));
  });

  it("two endpoints: taking the first down fails over with no failed op", async () => {
    const h = await createHarness({ slotMs: 20, extraPorts: 1, pool: { breaker } });
    harnesses.push(h);
    expect(h.localnet.urls.length).toBe(2);
    const list = transfers(40, 1_300_000);
    const ops = [];
    for (const [i, r] of list.entries()) {
      ops.push(await h.schedule("sol.transfer", r));
      if (i === 10) await h.localnet.setFaults({ outage: true }, 0);
    }
    const done = await h.waitTerminal(
      ops.map((o) => o.id),
      30_000,
    );
    if (done.some((o) => o.status !== "succeeded")) {
      // Where it stands: the crank's state changes and the last attempts' errors.
      const lines = h.logLines.filter((l) => l.includes('"crank.state"') || l.includes('"op.end"')).slice(-40);
      console.log(`crank ${h.crank.state()}, in flight ${h.crank.inFlight()}\n${lines.join("")}`);
    }
    expect(done.map((o) => o.status).filter((s) => s !== "succeeded")).toEqual([]);
    for (const r of list) expect(await h.localnet.getBalance(r.to)).toBe(BigInt(r.lamports));
    expect(totalOf(h.localnet.requestCounts(1))).toBeGreaterThan(0);
  });
});

function totalOf(counts: unknown): number {
  if (typeof counts === "number") return counts;
  if (counts && typeof counts === "object") return Object.values(counts as Record<string, unknown>).reduce<number>((n, v) => n + totalOf(v), 0);
  return 0;
}
