/** Acceptance: web3.js v1 Connection against the localnet, unchanged. */
import { createMint, createTransferInstruction, getOrCreateAssociatedTokenAccount, mintTo, getAccount, transfer } from "@solana/spl-token";
import {
  ComputeBudgetProgram,
  Connection,
  Keypair,
  LAMPORTS_PER_SOL,
  NONCE_ACCOUNT_LENGTH,
  PublicKey,
  SendTransactionError,
  SystemProgram,
  Transaction,
  TransactionInstruction,
  TransactionMessage,
  VersionedTransaction,
  sendAndConfirmTransaction,
} from "@solana/web3.js";
import bs58 from "bs58";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalnet, type Localnet } from "./index.js";
import { waitFor } from "@courier/testing";

const MEMO_PROGRAM = new PublicKey("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr");

let ln: Localnet;
let conn: Connection;
let payer: Keypair;


function transferTx(from: Keypair, to: PublicKey, lamports: number, blockhash: string): Transaction {
  const tx = new Transaction({ feePayer: from.publicKey, recentBlockhash: blockhash }).add(SystemProgram.transfer({ fromPubkey: from.publicKey, toPubkey: to, lamports }));
  tx.sign(from);
  return tx;
}

async function sendExpectingError(raw: Buffer | Uint8Array): Promise<SendTransactionError> {
  try {
    await conn.sendRawTransaction(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(SendTransactionError);
    return e as SendTransactionError;
  }
  throw new Error("send was expected to fail");
}

beforeAll(async () => {
  ln = await startLocalnet({ port: 0, slotMs: 20, seed: 1 });
  conn = new Connection(ln.url, "confirmed");
  // web3.js reuses a fetched blockhash for 30 s in sendTransaction/sendAndConfirmTransaction
  // (also inside @solana/spl-token helpers): 1,500 slots at 20 ms, far past the 151-block window.
  (conn as unknown as { _disableBlockhashCaching: boolean })._disableBlockhashCaching = true;
  payer = Keypair.generate();
  ln.airdrop(payer.publicKey.toBase58(), 100n * BigInt(LAMPORTS_PER_SOL));
});

afterAll(async () => {
  await ln.stop();
});

describe("localnet with web3.js v1", () => {
  it("requestAirdrop lands and confirms through the websocket", async () => {
    const kp = Keypair.generate();
    const sig = await conn.requestAirdrop(kp.publicKey, 2 * LAMPORTS_PER_SOL);
    const bh = await conn.getLatestBlockhash();
    const res = await conn.confirmTransaction({ signature: sig, ...bh });
    expect(res.value.err).toBeNull();
    expect(await conn.getBalance(kp.publicKey)).toBe(2 * LAMPORTS_PER_SOL);
    expect(ln.getBalance(kp.publicKey.toBase58())).toBe(2n * BigInt(LAMPORTS_PER_SOL));
    // An airdrop was not sent through sendTransaction: no landing time of a send.
    expect(ln.landedAt(sig)).toBeUndefined();
  });

  it("transfers SOL with sendAndConfirmTransaction and reports it in getTransaction", async () => {
    const to = Keypair.generate().publicKey;
    const before = ln.transactionCount();
    const sentFrom = Date.now();
    const sig = await sendAndConfirmTransaction(conn, new Transaction().add(SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: to, lamports: LAMPORTS_PER_SOL })), [payer]);
    const confirmedBy = Date.now();
    expect(await conn.getBalance(to)).toBe(LAMPORTS_PER_SOL);
    expect(ln.transactionCount()).toBe(before + 1);
    expect(ln.hasTransaction(sig)).toBe(true);
    // When the bank took it: between the send and the confirmation.
    const landedAt = ln.landedAt(sig) ?? 0;
    expect(landedAt).toBeGreaterThanOrEqual(sentFrom);
    expect(landedAt).toBeLessThanOrEqual(confirmedBy);
    const tx = await conn.getTransaction(sig, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
    expect(tx?.meta?.err).toBeNull();
    expect(tx?.meta?.fee).toBe(5000);
    expect(tx?.meta?.logMessages).toContain("Program 11111111111111111111111111111111 success");
    expect(tx?.meta?.postBalances[1]).toBe(LAMPORTS_PER_SOL);
    expect(tx?.transaction.signatures[0]).toBe(sig);
  });

  it("accepts base58 and v0 transactions", async () => {
    const to = Keypair.generate().publicKey;
    const { blockhash } = await conn.getLatestBlockhash();
    const msg = new TransactionMessage({ payerKey: payer.publicKey, recentBlockhash: blockhash, instructions: [SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: to, lamports: LAMPORTS_PER_SOL })] }).compileToV0Message();
    const vtx = new VersionedTransaction(msg);
    vtx.sign([payer]);
    const res = await fetch(ln.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: "abc-1", method: "sendTransaction", params: [bs58.encode(vtx.serialize())] }),
    });
    const body = (await res.json()) as { id: string; result: string };
    expect(body.id).toBe("abc-1");
    expect(body.result).toBe(bs58.encode(vtx.signatures[0]!));
    await waitFor("v0 transfer", async () => ["confirmed", "finalized"].includes((await conn.getSignatureStatus(body.result)).value?.confirmationStatus ?? ""));
    expect(await conn.getBalance(to)).toBe(LAMPORTS_PER_SOL);
    await expect(conn.getTransaction(body.result, { commitment: "confirmed" })).rejects.toThrow(/maxSupportedTransactionVersion/);
    const tx = await conn.getTransaction(body.result, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
    expect(tx?.version).toBe(0);
  });

  it("reports the fee LiteSVM charged, priority fee included", async () => {
    const to = Keypair.generate().publicKey;
    const tx = new Transaction()
      .add(ComputeBudgetProgram.setComputeUnitLimit({ units: 10_000 }))
      .add(ComputeBudgetProgram.setComputeUnitPrice({ microLamports: 1_500 }))
      .add(SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: to, lamports: LAMPORTS_PER_SOL }));
    const sig = await sendAndConfirmTransaction(conn, tx, [payer]);
    const got = await conn.getTransaction(sig, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
    expect(got?.meta?.fee).toBe(5000 + 15);
    const meta = got!.meta!;
    expect(meta.preBalances[0]! - meta.postBalances[0]! - LAMPORTS_PER_SOL).toBe(meta.fee);
  });

  it("runs the memo program", async () => {
    const ix = new TransactionInstruction({ keys: [{ pubkey: payer.publicKey, isSigner: true, isWritable: false }], programId: MEMO_PROGRAM, data: Buffer.from("hello courier") });
    const sig = await sendAndConfirmTransaction(conn, new Transaction().add(ix), [payer]);
    const tx = await conn.getTransaction(sig, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
    expect(tx?.meta?.logMessages?.join("\n")).toContain("hello courier");
  });

  it("mints and transfers SPL tokens, and a transfer beyond the balance fails with Custom(1)", async () => {
    const mint = await createMint(conn, payer, payer.publicKey, null, 6);
    const owner = Keypair.generate();
    const src = await getOrCreateAssociatedTokenAccount(conn, payer, mint, payer.publicKey);
    const dst = await getOrCreateAssociatedTokenAccount(conn, payer, mint, owner.publicKey);
    await mintTo(conn, payer, mint, src.address, payer, 1_500_000n);
    await transfer(conn, payer, src.address, dst.address, payer, 400_000n);
    expect((await getAccount(conn, dst.address)).amount).toBe(400_000n);
    const bal = await conn.getTokenAccountBalance(dst.address);
    expect(bal.value).toMatchObject({ amount: "400000", decimals: 6, uiAmount: 0.4, uiAmountString: "0.4" });

    const { blockhash } = await conn.getLatestBlockhash();
    const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash }).add(createTransferInstruction(src.address, dst.address, payer.publicKey, 5_000_000n));
    tx.sign(payer);
    const err = await sendExpectingError(tx.serialize());
    expect(err.message).toContain("custom program error: 0x1");
    expect(err.logs?.join("\n")).toContain("insufficient funds");
    // Without preflight it lands as a failed transaction: fee charged, error recorded.
    const sig = await conn.sendRawTransaction(tx.serialize(), { skipPreflight: true });
    const status = await waitFor("failed transfer status", async () => (await conn.getSignatureStatus(sig)).value);
    expect(status.err).toEqual({ InstructionError: [0, { Custom: 1 }] });
    expect(ln.hasTransaction(sig)).toBe(true);
  });

  it("returns the validator's preflight error shape for insufficient lamports", async () => {
    const poor = Keypair.generate();
    ln.airdrop(poor.publicKey.toBase58(), 1_000_000);
    const { blockhash } = await conn.getLatestBlockhash();
    const raw = transferTx(poor, Keypair.generate().publicKey, 5 * LAMPORTS_PER_SOL, blockhash).serialize();
    const res = await fetch(ln.url, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 7, method: "sendTransaction", params: [raw.toString("base64"), { encoding: "base64" }] }) });
    const body = (await res.json()) as { id: number; error: { code: number; message: string; data: { err: unknown; logs: string[]; unitsConsumed: number } } };
    expect(body.id).toBe(7);
    expect(body.error.code).toBe(-32002);
    expect(body.error.message).toBe("Transaction simulation failed: Error processing Instruction 0: custom program error: 0x1");
    expect(body.error.data.err).toEqual({ InstructionError: [0, { Custom: 1 }] });
    expect(body.error.data.logs.join("\n")).toContain("Transfer: insufficient lamports");
    expect(body.error.data.unitsConsumed).toBeGreaterThan(0);

    const unfunded = Keypair.generate();
    const err = await sendExpectingError(transferTx(unfunded, poor.publicKey, 1, blockhash).serialize());
    expect(err.message).toContain("Attempt to debit an account but found no record of a prior credit.");
    // Sent anyway, it never lands: nothing is charged, no status appears.
    const sig = await conn.sendRawTransaction(transferTx(unfunded, poor.publicKey, 2, blockhash).serialize(), { skipPreflight: true });
    expect((await conn.getSignatureStatuses([sig], { searchTransactionHistory: true })).value[0]).toBeNull();
    expect(ln.hasTransaction(sig)).toBe(false);
  });

  it("rejects a duplicate with AlreadyProcessed", async () => {
    const { blockhash } = await conn.getLatestBlockhash();
    const raw = transferTx(payer, Keypair.generate().publicKey, LAMPORTS_PER_SOL, blockhash).serialize();
    const sig = await conn.sendRawTransaction(raw);
    const err = await sendExpectingError(raw);
    expect(err.message).toContain("This transaction has already been processed");
    // skipPreflight: accepted, but it does not execute a second time.
    expect(await conn.sendRawTransaction(raw, { skipPreflight: true })).toBe(sig);
    expect(ln.hasTransaction(sig)).toBe(true);
    const before = ln.transactionCount();
    await waitFor("a slot", async () => ln.slot() > 2);
    expect(ln.transactionCount()).toBe(before);
  });

  it("moves statuses from processed to confirmed to finalized", async () => {
    // Own localnet with longer slots, so each level lasts long enough to be polled under load.
    const slow = await startLocalnet({ port: 0, slotMs: 50, websocket: false });
    try {
      const c = new Connection(slow.url, "confirmed");
      slow.airdrop(payer.publicKey.toBase58(), 2 * LAMPORTS_PER_SOL);
      const { blockhash } = await c.getLatestBlockhash("processed");
      const raw = transferTx(payer, Keypair.generate().publicKey, LAMPORTS_PER_SOL / 10, blockhash).serialize();
      const sig = bs58.encode(raw.subarray(1, 65));
      // One batch runs in one pass: the status right after the send is "processed".
      const res = await fetch(slow.url, {
        method: "POST",
        body: JSON.stringify([
          { jsonrpc: "2.0", id: 1, method: "sendTransaction", params: [raw.toString("base64"), { encoding: "base64" }] },
          { jsonrpc: "2.0", id: 2, method: "getSignatureStatuses", params: [[sig]] },
        ]),
      });
      const [sent, status] = (await res.json()) as [{ result: string }, { result: { value: Array<{ confirmationStatus: string; confirmations: number }> } }];
      expect(sent.result).toBe(sig);
      expect(status.result.value[0]).toMatchObject({ confirmationStatus: "processed", confirmations: 0 });
      const order = ["processed", "confirmed", "finalized"];
      const seen: string[] = ["processed"];
      await waitFor("finalized", async () => {
        const s = (await c.getSignatureStatuses([sig])).value[0]!;
        expect(order.indexOf(s.confirmationStatus!)).toBeGreaterThanOrEqual(order.indexOf(seen.at(-1)!));
        if (s.confirmationStatus !== seen.at(-1)) seen.push(s.confirmationStatus!);
        if (s.confirmationStatus === "confirmed") expect(s.confirmations).toBeGreaterThan(0);
        if (s.confirmationStatus === "finalized") expect(s.confirmations).toBeNull();
        return s.confirmationStatus === "finalized";
      });
      expect(seen).toEqual(order);
      // getTransaction answers at the commitment the transaction reached.
      expect(await c.getTransaction(sig, { commitment: "finalized", maxSupportedTransactionVersion: 0 })).not.toBeNull();
    } finally {
      await slow.stop();
    }
  });

  it("answers the cluster methods web3.js uses", async () => {
    const slot = await conn.getSlot("processed");
    expect(await conn.getBlockHeight("processed")).toBeGreaterThanOrEqual(0);
    const finalized = await conn.getLatestBlockhash("finalized");
    const heightBefore = await conn.getBlockHeight("processed");
    const processed = await conn.getLatestBlockhash("processed");
    const heightAfter = await conn.getBlockHeight("processed");
    expect(processed.lastValidBlockHeight).toBeGreaterThanOrEqual(finalized.lastValidBlockHeight);
    expect(processed.lastValidBlockHeight - 150).toBeGreaterThanOrEqual(heightBefore);
    expect(processed.lastValidBlockHeight - 150).toBeLessThanOrEqual(heightAfter);
    const epoch = await conn.getEpochInfo("processed");
    expect(epoch.absoluteSlot).toBeGreaterThanOrEqual(slot);
    expect((await conn.getVersion())["solana-core"]).toMatch(/^\d+\.\d+\.\d+$/);
    expect(await conn.getGenesisHash()).toMatch(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/);
    expect(await conn.getMinimumBalanceForRentExemption(165)).toBe(2_039_280);
    expect(Array.isArray(await conn.getRecentPrioritizationFees())).toBe(true);
    const info = await conn.getAccountInfo(payer.publicKey);
    expect(info?.owner.toBase58()).toBe(SystemProgram.programId.toBase58());
    const many = await conn.getMultipleAccountsInfo([payer.publicKey, Keypair.generate().publicKey]);
    expect(many[0]?.lamports).toBeGreaterThan(0);
    expect(many[1]).toBeNull();
    const msg = transferTx(payer, payer.publicKey, 1, processed.blockhash).compileMessage();
    expect((await conn.getFeeForMessage(msg)).value).toBe(5000);
    const sim = await conn.simulateTransaction(new Transaction({ feePayer: payer.publicKey, ...processed }).add(SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: payer.publicKey, lamports: 1 })));
    expect(sim.value.err).toBeNull();
    expect(sim.value.logs?.length).toBeGreaterThan(0);
  });
});

describe("blockhash window", () => {
  it("rejects a blockhash older than 151 blocks with BlockhashNotFound", async () => {
    const fast = await startLocalnet({ port: 0, slotMs: 10, websocket: false });
    try {
      const c = new Connection(fast.url, "processed");
      const kp = Keypair.generate();
      fast.airdrop(kp.publicKey.toBase58(), LAMPORTS_PER_SOL);
      const bh = await c.getLatestBlockhash("processed");
      expect((await c.isBlockhashValid(bh.blockhash, { commitment: "processed" })).value).toBe(true);
      // Gone once the block height passes lastValidBlockHeight.
      await waitFor("expiry", async () => fast.blockHeight() > bh.lastValidBlockHeight);
      const raw = transferTx(kp, Keypair.generate().publicKey, 1000, bh.blockhash).serialize();
      try {
        await c.sendRawTransaction(raw);
        throw new Error("expected BlockhashNotFound");
      } catch (e) {
        expect((e as Error).message).toContain("Blockhash not found");
      }
      expect((await c.isBlockhashValid(bh.blockhash, { commitment: "processed" })).value).toBe(false);
      const sig = await c.sendRawTransaction(raw, { skipPreflight: true });
      expect(fast.hasTransaction(sig)).toBe(false);
      expect(fast.getBalance(kp.publicKey.toBase58())).toBe(BigInt(LAMPORTS_PER_SOL));
    } finally {
      await fast.stop();
    }
  });
});

describe("durable nonces", () => {
  it("lands a nonce transaction outside the blockhash window once, then BlockhashNotFound", async () => {
    const nonceAccount = Keypair.generate();
    const rent = await conn.getMinimumBalanceForRentExemption(NONCE_ACCOUNT_LENGTH);
    await sendAndConfirmTransaction(
      conn,
      new Transaction().add(
        ...SystemProgram.createNonceAccount({ fromPubkey: payer.publicKey, noncePubkey: nonceAccount.publicKey, authorizedPubkey: payer.publicKey, lamports: rent }).instructions,
      ),
      [payer, nonceAccount],
    );
    // A nonce is only advanceable once the slot's blockhash has moved on.
    const created = ln.slot();
    await waitFor("next slot", async () => ln.slot() > created);
    const nonce = (await conn.getNonce(nonceAccount.publicKey))!.nonce;
    const to = Keypair.generate().publicKey;
    const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: nonce })
      .add(SystemProgram.nonceAdvance({ noncePubkey: nonceAccount.publicKey, authorizedPubkey: payer.publicKey }))
      .add(SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: to, lamports: LAMPORTS_PER_SOL }));
    tx.sign(payer);
    expect((await conn.isBlockhashValid(nonce, { commitment: "processed" })).value).toBe(false);
    const sig = await conn.sendRawTransaction(tx.serialize());
    expect(ln.hasTransaction(sig)).toBe(true);
    expect(ln.getBalance(to.toBase58())).toBe(BigInt(LAMPORTS_PER_SOL));
    expect((await conn.getNonce(nonceAccount.publicKey, "processed"))!.nonce).not.toBe(nonce);
    const err = await sendExpectingError(tx.serialize());
    expect(err.message).toContain("Blockhash not found");

    // A failing nonce transaction still consumes the nonce, as on a validator.
    await waitFor("next slot", async () => ln.slot() > created + 1);
    const nonce2 = (await conn.getNonce(nonceAccount.publicKey, "processed"))!.nonce;
    const failing = new Transaction({ feePayer: payer.publicKey, recentBlockhash: nonce2 })
      .add(SystemProgram.nonceAdvance({ noncePubkey: nonceAccount.publicKey, authorizedPubkey: payer.publicKey }))
      .add(SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: to, lamports: 1000 * LAMPORTS_PER_SOL }));
    failing.sign(payer);
    const failedSig = await conn.sendRawTransaction(failing.serialize(), { skipPreflight: true });
    expect((await conn.getSignatureStatus(failedSig)).value?.err).toEqual({ InstructionError: [1, { Custom: 1 }] });
    expect((await conn.getNonce(nonceAccount.publicKey, "processed"))!.nonce).not.toBe(nonce2);
    expect((await sendExpectingError(failing.serialize())).message).toContain("Blockhash not found");
  });
});
