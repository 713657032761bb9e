/**
 * Actions end to end on the localnet, and how failures surface: a transaction that lands with
 * an error fails the op after one attempt with the decoded reason; a program error carries the
 * program's code; durable nonces land.
 */
import { readFile } from "node:fs/promises";
import { getNonce } from "@courier/solana";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { Keypair } from "@solana/web3.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMintWithBalance, createNonceAccount, getTokenAmount } from "./helpers/chain.js";
import { createHarness, type Harness, LAMPORTS_PER_SOL } from "./helpers/harness.js";


describe("actions on the localnet", () => {
  let h: Harness;
  beforeAll(async () => {
    // Set-up calls (mints, token accounts) must not time out on a loaded machine.
    h = await createHarness({ slotMs: 20, fund: 100 * LAMPORTS_PER_SOL, pool: { timeoutMs: 5_000, sendTimeoutMs: 5_000 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("sol.transfer beyond the balance is refused before signing (simulated), after one attempt, with the decoded reason", async () => {
    const to = Keypair.generate().publicKey.toBase58();
    const op = await h.schedule("sol.transfer", { to, lamports: 500 * LAMPORTS_PER_SOL }, { max_attempts: 5 });
    const [done] = await h.waitTerminal([op.id], 20_000);
    expect(done?.status).toBe("failed");
    const attempts = await h.store.getAttempts(op.id);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]?.outcome).toBe("permanent");
    expect(attempts[0]?.error_code).toBe("COURIER__OP__INSUFFICIENT_FUNDS");
    expect(attempts[0]?.error).toMatch(/insufficient funds: account has \d+ lamports, needs 500000000000/);
    // Nothing was signed, so no fee was paid.
    expect(attempts[0]?.signature ?? null).toBeNull();
    expect(await h.store.getOpLedger(op.id)).toEqual([]);
    expect(await h.pool.getBalance(to)).toBe(0);
  });

  it("a new recipient below the rent-exempt minimum is refused before signing; an existing one takes any amount", async () => {
    const fresh = Keypair.generate().publicKey.toBase58();
    const small = await h.schedule("sol.transfer", { to: fresh, lamports: 1_000 });
    const [refused] = await h.waitTerminal([small.id], 20_000);
    expect(refused?.status).toBe("failed");
    const [attempt] = await h.store.getAttempts(small.id);
    expect(attempt?.error_code).toBe("COURIER__OP__BELOW_RENT_EXEMPT_MINIMUM");
    expect(attempt?.error).toMatch(/below the rent-exempt minimum of 890880/);
    expect(await h.store.getOpLedger(small.id)).toEqual([]);

    const seed = await h.schedule("sol.transfer", { to: fresh, lamports: 1_000_000 });
    await h.waitTerminal([seed.id], 20_000);
    const topUp = await h.schedule("sol.transfer", { to: fresh, lamports: 1_000 });
    const [done] = await h.waitTerminal([topUp.id], 20_000);
    expect(done?.status).toBe("succeeded");
    expect(await h.pool.getBalance(fresh)).toBe(1_001_000);
  });

  it("spl.transfer creates the recipient's token account and moves tokens; errors carry the program's code", async () => {
    const { mint, source } = await createMintWithBalance(h.pool, h.signer, 6, 1_000_000n);
    const to = Keypair.generate().publicKey;
    const ok = await h.schedule("spl.transfer", { mint: mint.toBase58(), to: to.toBase58(), amount: "250000", create_ata: true });
    await h.waitTerminal([ok.id], 20_000);
    // After the recipient's account exists, so each failure is the one its params provoke.
    const tooMuch = await h.schedule("spl.transfer", { mint: mint.toBase58(), to: to.toBase58(), amount: 5_000_000 });
    const wrongDecimals = await h.schedule("spl.transfer", { mint: mint.toBase58(), to: to.toBase58(), amount: 1, decimals: 9 });
    const done = await h.waitTerminal([ok.id, tooMuch.id, wrongDecimals.id], 20_000);
    expect(done.map((o) => o.status)).toEqual(["succeeded", "failed", "failed"]);
    expect(await getTokenAmount(h.pool, getAssociatedTokenAddressSync(mint, to))).toBe(250_000n);
    expect(await getTokenAmount(h.pool, source)).toBe(750_000n);

    const [tooMuchAttempt] = await h.store.getAttempts(tooMuch.id);
    expect(tooMuchAttempt?.error_code).toBe("COURIER__OP__INSUFFICIENT_FUNDS");
    const [decAttempt] = await h.store.getAttempts(wrongDecimals.id);
    expect(decAttempt?.error_code).toBe("COURIER__OP__PROGRAM_ERROR");
    // SPL Token's custom error 18, by name; index 0 is the op's own TransferChecked (Courier's
    // compute-budget instruction before it is not counted).
    expect(decAttempt?.error).toMatch(/instruction 0 failed with MintDecimalsMismatch \(SPL Token custom error 18/);
  });

  it("a durable-nonce memo lands and advances the nonce", async () => {
    const nonceAccount = await createNonceAccount(h.pool, h.signer);
    const before = await getNonce(h.pool, nonceAccount);
    const op = await h.schedule("memo", { text: "courier durable nonce", nonce_account: nonceAccount.toBase58() });
    const [done] = await h.waitTerminal([op.id], 20_000);
    expect(done?.status).toBe("succeeded");
    const entries = await h.store.getOpLedger(op.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.blockhash).toBe(before.nonce);
    expect((await getNonce(h.pool, nonceAccount)).nonce).not.toBe(before.nonce);
  });

  it("every built-in action takes nonce_account and signs against that nonce", async () => {
    const { mint, source } = await createMintWithBalance(h.pool, h.signer, 0, 100n);
    const to = Keypair.generate().publicKey;
    const destination = getAssociatedTokenAddressSync(mint, to);
    const nonces = [await createNonceAccount(h.pool, h.signer), await createNonceAccount(h.pool, h.signer), await createNonceAccount(h.pool, h.signer)];
    const before = await Promise.all(nonces.map((n) => getNonce(h.pool, n)));
    const ops = [
      await h.schedule("sol.transfer", { to: to.toBase58(), lamports: 2_000_000, nonce_account: nonces[0]?.toBase58() }),
      await h.schedule("spl.transfer", { mint: mint.toBase58(), to: to.toBase58(), amount: 7, create_ata: true, nonce_account: nonces[1]?.toBase58() }),
      await h.schedule("anchor.invoke", {
        program_id: "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",
        idl: "spl-token-transfer-checked.idl.json",
        method: "transfer_checked",
        args: ["1", 0],
        accounts: { source: source.toBase58(), mint: mint.toBase58(), destination: source.toBase58() },
        nonce_account: nonces[2]?.toBase58(),
      }),
    ];
    const done = await h.waitTerminal(
      ops.map((o) => o.id),
      30_000,
    );
    expect(done.map((o) => o.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    for (const [i, op] of ops.entries()) {
      const [entry] = await h.store.getOpLedger(op.id);
      expect(entry?.blockhash).toBe(before[i]?.nonce);
    }
    expect(await getTokenAmount(h.pool, destination)).toBe(7n);
  });

  it("never writes the signer's secret into the log stream", async () => {
    const secret = JSON.parse(await readFile(h.keypairPath, "utf8")) as number[];
    const log = h.logLines.join("");
    expect(h.logLines.length).toBeGreaterThan(0);
    expect(log).not.toContain(secret.slice(0, 12).join(","));
    expect(log).not.toContain(Buffer.from(secret.slice(0, 32)).toString("hex"));
    expect(log).not.toContain(Buffer.from(secret.slice(0, 32)).toString("base64").slice(0, 20));
  });

  it("validates params at schedule time", async () => {
    await expect(h.schedule("memo", { text: "x".repeat(567) })).rejects.toMatchObject({ code: "COURIER__ACTION__INVALID_PARAMS" });
    await expect(h.schedule("sol.transfer", { to: "not-a-key", lamports: 1 })).rejects.toMatchObject({ code: "COURIER__ACTION__INVALID_PARAMS" });
  });
});
