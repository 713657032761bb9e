/**
 * Acceptance on the real localnet: recurring schedules an operator can trust. A crank that was
 * down for 20 s does not pay a burst of catch-up runs for an every-2 s op (skip: at most one run
 * in the first 2 s; once: exactly one catch-up), and a recurring op with a run that fails for good
 * completes its other runs and raises exactly one alert.
 */
import { getRunFailedAlertKey, type Op } from "@courier/agent";
import { Keypair } from "@solana/web3.js";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "@courier/testing";
import { createHarness, type Harness, LAMPORTS_PER_SOL } from "./helpers/harness.js";

/** Calls here take seconds each: a long, bounded wait. */
const LONG_WAIT = { timeoutMs: 60_000, intervalMs: 25 };

describe("misfire after a 20 s crank downtime (every 2 s)", () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it("skip runs at most once in the first 2 s after restart; once runs exactly one catch-up", async () => {
    h = await createHarness({ start: false });
    const EVERY = 2_000;
    // The schedule started 20 s ago and no crank ran since: the state a 20 s downtime leaves.
    const anchor = Date.now() - 20_000;
    const skip = await h.schedule("memo", { text: "skip" }, { every_ms: EVERY, run_at: anchor, allow_past: true, max_exec: 2 });
    const once = await h.schedule("memo", { text: "once" }, { every_ms: EVERY, run_at: anchor, allow_past: true, misfire: "once", max_exec: 2 });
    h.startCrank();
    await h.waitTerminal([skip.id, once.id], 60_000);
    const slotOf = (run: number) => anchor + (run - 1) * EVERY;
    // Measured from the misfire decision itself (the missed row's time), not from a wall clock
    // read before a possibly slow start: the test holds on a loaded machine.

    const skipped = await h.store.getAttempts(skip.id);
    const skipMissed = skipped.filter((a) => a.outcome === "missed");
    expect(skipMissed).toHaveLength(1);
    expect(skipMissed[0]?.error).toMatch(/^missed \d+ runs \(runs 1–/);
    const skipDecided = skipMissed[0]?.started_at as number;
    const skipOk = skipped.filter((a) => a.outcome === "ok");
    expect(skipOk).toHaveLength(2);
    expect(skipOk.filter((a) => a.started_at < skipDecided + EVERY).length).toBeLessThanOrEqual(1);
    // No run of a slot that passed during the downtime executed.
    expect(skipOk.filter((a) => slotOf(a.run) <= skipDecided)).toEqual([]);

    const onced = await h.store.getAttempts(once.id);
    const onceMissed = onced.filter((a) => a.outcome === "missed");
    expect(onceMissed).toHaveLength(1);
    const onceDecided = onceMissed[0]?.started_at as number;
    const missedCount = Number(/^missed (\d+) runs/.exec(onceMissed[0]?.error ?? "")?.[1]);
    expect(missedCount).toBeGreaterThanOrEqual(9);
    const onceOk = onced.filter((a) => a.outcome === "ok");
    // Exactly one catch-up: the run right after the missed ones, of a slot already past.
    expect(onceOk.filter((a) => slotOf(a.run) <= onceDecided).map((a) => a.run)).toEqual([missedCount + 1]);
    expect(await h.store.getOp(once.id)).toMatchObject({ status: "succeeded", exec_count: 2 });
  }, 90_000);
});

describe("a recurring op whose run fails for good (on_failure continue)", () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it("completes its other runs and raises exactly one alert", async () => {
    // Enough for one 1 SOL payment: the second run fails on chain (insufficient funds).
    h = await createHarness({ fund: 1.5 * LAMPORTS_PER_SOL });
    const to = Keypair.generate().publicKey.toBase58();
    const op = await h.schedule("sol.transfer", { to, lamports: LAMPORTS_PER_SOL }, { every_ms: 2_500, max_exec: 3 });
    await waitFor("a failed run", async () => (await h.store.getAttempts(op.id)).some((a) => a.outcome === "permanent"), LONG_WAIT);
    h.localnet.airdrop(h.signer.publicKey.toBase58(), 10 * LAMPORTS_PER_SOL);
    const [done] = (await h.waitTerminal([op.id], 60_000)) as [Op];
    expect(done).toMatchObject({ status: "succeeded", exec_count: 3 });
    expect(h.localnet.getBalance(to)).toBe(BigInt(3 * LAMPORTS_PER_SOL));
    const attempts = await h.store.getAttempts(op.id);
    const failedRuns = new Set(attempts.filter((a) => a.outcome === "permanent").map((a) => a.run));
    expect(failedRuns.size).toBeGreaterThanOrEqual(1);
    // Every run is recorded: the failed ones failed, the others succeeded.
    const okRuns = new Set(attempts.filter((a) => a.outcome === "ok").map((a) => a.run));
    expect(okRuns.size).toBe(3);
    const alerts = (await h.store.getAlerts()).filter((a) => a.key.startsWith("op_run_failed:"));
    expect(alerts).toMatchObject([{ key: getRunFailedAlertKey(op.id), state: "firing" }]);
    expect((await h.store.outboxSummary()).pending).toBe(1);
  }, 90_000);
});
