/**
 * A run stopped before its transaction is resolved (graceful shutdown) ends `ambiguous`, and the
 * next process resumes the SAME signed bytes from the ledger instead of signing again.
 * Sends are held back by a hook on the pool until the restart (the localnet's faults cannot
 * produce "accepted but not yet executed").
 */
import { createCrank, systemClock } from "@courier/agent";
import { getSignatureFromWire, type RpcPool } from "@courier/solana";
import { Keypair } from "@solana/web3.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@courier/testing";
import { createHarness, type Harness, waitTerminal } from "./helpers/harness.js";

describe("shutdown and resume", () => {
  let h: Harness;
  let holdSends = true;
  const sent = new Set<string>();
  beforeAll(async () => {
    h = await createHarness({
      // 100 ms slots: a blockhash lives 15 s, longer than the stop and restart take.
      slotMs: 100,
      wrapPool: (pool) =>
        new Proxy(pool, {
          get(target, key) {
            if (key === "sendRawTransaction") {
              const send: RpcPool["sendRawTransaction"] = async (wire, opts) => {
                sent.add(getSignatureFromWire(wire));
                return holdSends ? getSignatureFromWire(wire) : target.sendRawTransaction(wire, opts);
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

  it("releases unresolved runs as ambiguous and resumes their signed bytes", async () => {
    const recipients = Array.from({ length: 5 }, (_, i) => ({ to: Keypair.generate().publicKey.toBase58(), lamports: 4_000_000 + i }));
    const ops = [];
    for (const r of recipients) ops.push(await h.schedule("sol.transfer", r));
    await waitFor("every op's first send", () => sent.size >= ops.length, { intervalMs: 50 });
    expect(sent.size).toBe(ops.length);
    await h.crank.stop();
    const signedBefore = new Map<string, string[]>();
    for (const op of ops) signedBefore.set(op.id, (await h.store.getOpLedger(op.id)).map((e) => e.signature));

    holdSends = false;
    const second = createCrank({
      store: h.store,
      executor: h.executor,
      clock: systemClock,
      logger: h.logger,
      instanceId: "second",
      concurrency: 8,
      maxIdleMs: 50,
    });
    const running = second.start();
    const done = await waitTerminal(
      h.store,
      ops.map((o) => o.id),
      20_000,
    );
    await second.stop();
    await running;

    expect(done.map((o) => o.status)).toEqual(ops.map(() => "succeeded"));
    for (const op of ops) {
      const entries = await h.store.getOpLedger(op.id);
      // One signed transaction per op: the one signed before the stop.
      expect(entries.map((e) => e.signature)).toEqual(signedBefore.get(op.id));
      expect(entries.map((e) => e.state)).toEqual(["landed"]);
      const outcomes = (await h.store.getAttempts(op.id)).map((a) => a.outcome);
      expect(outcomes).toEqual(["ambiguous", "ok"]);
    }
    for (const r of recipients) expect(await h.localnet.getBalance(r.to)).toBe(BigInt(r.lamports));
  });
});
