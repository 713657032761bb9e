/**
 * Acceptance: the expiry path. Every send of the first signed transaction is dropped before it
 * reaches the cluster (a leader that never includes it), so its blockhash expires. The executor
 * may re-sign only after the block height passed that transaction's last valid block height,
 * and the op must land exactly once.
 *
 * The drop is a hook on the pool's send: the localnet's `drop_response_rate` executes the
 * transaction (it drops the answer), which cannot produce "never arrived".
 */

import { getSignatureFromWire, type RpcPool } from "@courier/solana";
import { Keypair } from "@solana/web3.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./helpers/harness.js";

describe("blockhash expiry", () => {
  let h: Harness;
  const firstSendHeight = new Map<string, number>();
  let dropped: string | null = null;
  let droppedSends = 0;

  beforeAll(async () => {
    h = await createHarness({
      slotMs: 20,
      wrapPool: (pool) =>
        new Proxy(pool, {
          get(target, key) {
            if (key === "sendRawTransaction") {
              const send: RpcPool["sendRawTransaction"] = async (wire, opts) => {
                const sig = getSignatureFromWire(wire);
                if (!firstSendHeight.has(sig)) firstSendHeight.set(sig, h.localnet.blockHeight());
                dropped ??= sig;
                if (sig === dropped) {
                  droppedSends++;
                  return sig;
                }
                return target.sendRawTransaction(wire, opts);
              };
              return send;
            }
            const v = Reflect.get(target, key) as unknown;
            return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
          },
        }),
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("re-signs only after the first blockhash expired, and lands once", async () => {
    const to = Keypair.generate().publicKey.toBase58();
    const op = await h.schedule("sol.transfer", { to, lamports: 3_333_333 });
    const [done] = await h.waitTerminal([op.id], 30_000);
    expect(done?.status).toBe("succeeded");

    const entries = (await h.store.getOpLedger(op.id)).sort((a, b) => a.seq - b.seq);
    expect(entries.map((e) => [e.seq, e.state])).toEqual([
      [0, "expired"],
      [1, "landed"],
    ]);
    const [first, second] = entries;
    if (!first || !second) throw new Error("two ledger entries expected");
    expect(first.signature).toBe(dropped);
    expect(droppedSends).toBeGreaterThan(1); // it was rebroadcast while waiting, never re-signed early
    // The re-signed transaction was first sent at a block height past the first one's validity.
    expect(firstSendHeight.get(second.signature)).toBeGreaterThan(first.last_valid_block_height);
    expect(second.blockhash).not.toBe(first.blockhash);
    expect(h.localnet.hasTransaction(first.signature)).toBe(false);
    expect(h.localnet.hasTransaction(second.signature)).toBe(true);
    expect(await h.localnet.getBalance(to)).toBe(3_333_333n);
  });
});
