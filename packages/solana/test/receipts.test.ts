/**
 * Per-run memo receipts: every transaction carries `courier:<op_id>:<run>`, which also keeps the
 * bytes of identical-looking runs distinct (same instructions, same blockhash → same signature
 * otherwise, and the second would be rejected as AlreadyProcessed: a lost payment).
 */
import { Keypair } from "@solana/web3.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./helpers/harness.js";

describe("memo receipts", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ slotMs: 20 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("writes courier:<op_id>:<run> into the transaction", async () => {
    const to = Keypair.generate().publicKey.toBase58();
    const op = await h.schedule("sol.transfer", { to, lamports: 1_500_000 });
    const [done] = await h.waitTerminal([op.id], 15_000);
    expect(done?.status).toBe("succeeded");
    const [entry] = await h.store.getOpLedger(op.id);
    const tx = await h.pool.call<{ meta: { logMessages: string[] } }>("getTransaction", [
      entry?.signature,
      { encoding: "json", commitment: "confirmed", maxSupportedTransactionVersion: 0 },
    ]);
    expect(tx.meta.logMessages.join("\n")).toContain(`courier:${op.id}:1`);
    expect(await h.localnet.getBalance(to)).toBe(1_500_000n);
  });

  it("two ops with identical params due together both pay: distinct signatures, double the amount", async () => {
    const to = Keypair.generate().publicKey.toBase58();
    const a = await h.schedule("sol.transfer", { to, lamports: 2_000_000 });
    const b = await h.schedule("sol.transfer", { to, lamports: 2_000_000 });
    const done = await h.waitTerminal([a.id, b.id], 15_000);
    expect(done.map((op) => op.status)).toEqual(["succeeded", "succeeded"]);
    const [ea] = await h.store.getOpLedger(a.id);
    const [eb] = await h.store.getOpLedger(b.id);
    expect(ea?.signature).toBeDefined();
    expect(ea?.signature).not.toBe(eb?.signature);
    expect(await h.localnet.getBalance(to)).toBe(4_000_000n);
  });

  it("runs of a recurring op with identical instructions each land", async () => {
    const op = await h.schedule("memo", { text: "same text every run" }, { every_ms: 300, max_exec: 3 });
    const [done] = await h.waitTerminal([op.id], 20_000);
    expect(done?.status).toBe("succeeded");
    expect(done?.exec_count).toBe(3);
    const signatures = (await h.store.getOpLedger(op.id)).map((e) => e.signature);
    expect(new Set(signatures).size).toBe(3);
  });
});
