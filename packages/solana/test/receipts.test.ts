/** Per-run memo receipts: with `receipts`, every transaction carries `courier:<op_id>:<run>`. */
import { Keypair } from "@solana/web3.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./helpers/harness.js";

describe("memo receipts", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ slotMs: 20, executor: { receipts: true } });
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
});
