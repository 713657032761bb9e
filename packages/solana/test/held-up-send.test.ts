/**
 * A transaction signed while a 429's Retry-After holds the endpoint's sends would age before its
 * first send. The executor drops it before anything records or sends it, gives its spend back,
 * and signs again once sends go out (create-solana-executor.ts, HELD_UP_MS).
 *
 * The real pool and localnet carry every call. Only the pool's answer to "how long are sends
 * held up?" is forced, once: a 429 landing exactly between admission and the end of a build
 * cannot be timed against the real endpoint.
 */
import { afterEach, describe, expect, it } from "vitest";
import { getSignatureFromWire } from "@courier/solana";
import { createHarness, type Harness, LAMPORTS_PER_SOL } from "./helpers/harness.js";

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe("a send held up by a rate limit", () => {
  it("drops the signed transaction unsent and unrecorded, gives its spend back, and signs again", async () => {
    const lamports = LAMPORTS_PER_SOL;
    let asked = 0;
    let unadmitted = 0;
    const sent: string[] = [];
    h = await createHarness({
      // The daily cap fits exactly one transfer: had the dropped transaction kept its
      // reservation, the second signing would be refused over the cap.
      executor: { dailyCapLamports: lamports, instance: "held-up-test" },
      wrapPool: (pool) => ({
        ...pool,
        heldUpMs(method) {
          asked++;
          return asked === 1 ? 1_000 : pool.heldUpMs(method);
        },
        unadmit(method) {
          unadmitted++;
          pool.unadmit(method);
        },
        sendRawTransaction(wire, o) {
          sent.push(getSignatureFromWire(wire));
          return pool.sendRawTransaction(wire, o);
        },
      }),
    });
    const to = "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin";
    const op = await h.schedule("sol.transfer", { to, lamports });
    const [done] = await h.waitTerminal([op.id], 20_000);

    expect(done?.status).toBe("succeeded");
    expect(asked).toBeGreaterThanOrEqual(2);
    expect(unadmitted).toBe(1);
    // Only the second signing reached the ledger and the wire.
    const entries = await h.store.getLedgerEntries(op.id, op.run);
    expect(entries.map((e) => [e.seq, e.state])).toEqual([[0, "landed"]]);
    expect(new Set(sent)).toEqual(new Set([entries[0]?.signature]));
    expect(await h.pool.getBalance(to)).toBe(lamports);
  });
});
