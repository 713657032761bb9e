/**
 * Classification from real responses: failing transactions sent to the localnet, read back as
 * preflight errors (-32002), as landed-transaction statuses, and through web3.js v1's
 * `SendTransactionError` (message only).
 */
import { startLocalnet } from "@courier/localnet";
import {
  MINT_SIZE,
  TOKEN_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  createInitializeMint2Instruction,
  createMintToInstruction,
  createTransferCheckedInstruction,
  createTransferInstruction,
  getAssociatedTokenAddressSync,
} from "@solana/spl-token";
import { Connection, Keypair, LAMPORTS_PER_SOL, SystemProgram, TransactionMessage, VersionedTransaction, type TransactionInstruction } from "@solana/web3.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor, getCourierRejection } from "@courier/testing";
import { createRpcPool } from "../rpc/create-rpc-pool.js";
import type { RpcPool, SignatureStatus } from "../rpc/types.js";
import { classifyRpcError, classifyTransactionError } from "./classify.js";
import { classifySendTransactionError } from "./classify-send-transaction-error.js";

type Localnet = Awaited<ReturnType<typeof startLocalnet>>;
let net: Localnet;
let pool: RpcPool;
let payer: Keypair;
/** A token setup: a mint (6 decimals) and the payer's token account holding 100 units. */
let mint: Keypair;
let payerAta: ReturnType<typeof getAssociatedTokenAddressSync>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  net = await startLocalnet({ port: 0, slotMs: 10, seed: 11 });
  pool = createRpcPool({ urls: [net.url], healthIntervalMs: 0, timeoutMs: 5_000 });
  payer = Keypair.generate();
  await net.airdrop(payer.publicKey.toBase58(), LAMPORTS_PER_SOL);
  mint = Keypair.generate();
  payerAta = getAssociatedTokenAddressSync(mint.publicKey, payer.publicKey);
  const rent = await pool.call<number>("getMinimumBalanceForRentExemption", [MINT_SIZE]);
  const sig = await pool.sendRawTransaction(
    await build(payer, [
      SystemProgram.createAccount({ fromPubkey: payer.publicKey, newAccountPubkey: mint.publicKey, lamports: rent, space: MINT_SIZE, programId: TOKEN_PROGRAM_ID }),
      createInitializeMint2Instruction(mint.publicKey, 6, payer.publicKey, null),
      createAssociatedTokenAccountIdempotentInstruction(payer.publicKey, payerAta, payer.publicKey, mint.publicKey),
      createMintToInstruction(mint.publicKey, payerAta, payer.publicKey, 100),
    ], [payer, mint]),
    { skipPreflight: false },
  );
  const status = await waitForStatus(sig);
  expect(status.err).toBeNull();
});

afterAll(async () => {
  await pool?.close();
  await net?.stop();
});

async function build(feePayer: Keypair, instructions: TransactionInstruction[], signers: Keypair[] = [feePayer], blockhash?: string): Promise<Uint8Array> {
  const recentBlockhash = blockhash ?? (await pool.getLatestBlockhash()).blockhash;
  const message = new TransactionMessage({ payerKey: feePayer.publicKey, recentBlockhash, instructions }).compileToV0Message();
  const tx = new VersionedTransaction(message);
  tx.sign(signers);
  return tx.serialize();
}

function waitForStatus(sig: string): Promise<SignatureStatus> {
  return waitFor(`a confirmed status for ${sig}`, async () => {
    const [s] = await pool.getSignatureStatuses([sig], { searchTransactionHistory: true });
    return s && s.confirmationStatus !== "processed" ? s : null;
  }, { intervalMs: 10 });
}

async function getLogs(sig: string): Promise<string[] | null> {
  for (let i = 0; i < 100; i += 1) {
    const tx = await pool.call<{ meta: { logMessages?: string[] | null } } | null>("getTransaction", [
      sig,
      { encoding: "json", commitment: "confirmed", maxSupportedTransactionVersion: 0 },
    ]);
    if (tx) return tx.meta.logMessages ?? null;
    await sleep(10);
  }
  return null;
}

function overdraw(): TransactionInstruction {
  return SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: Keypair.generate().publicKey, lamports: 2 * LAMPORTS_PER_SOL });
}

function tokenOverdraw(): TransactionInstruction {
  return createTransferInstruction(payerAta, getAssociatedTokenAddressSync(mint.publicKey, payer.publicKey), payer.publicKey, 1_000);
}

/** TransferChecked with the wrong decimals: token error 18 (MintDecimalsMismatch), at instruction 1. */
function wrongDecimals(): TransactionInstruction[] {
  const other = Keypair.generate().publicKey;
  const otherAta = getAssociatedTokenAddressSync(mint.publicKey, other);
  return [
    createAssociatedTokenAccountIdempotentInstruction(payer.publicKey, otherAta, other, mint.publicKey),
    createTransferCheckedInstruction(payerAta, mint.publicKey, otherAta, payer.publicKey, 1, 9),
  ];
}

describe("classification of real localnet failures", () => {
  it("system transfer beyond the balance: preflight -32002 → INSUFFICIENT_FUNDS with the decoded reason", async () => {
    const e = await getCourierRejection(pool.sendRawTransaction(await build(payer, [overdraw()]), { skipPreflight: false }));
    expect(e.code).toBe("COURIER__OP__INSUFFICIENT_FUNDS");
    expect(e.outcome).toBe("permanent");
    expect(e.context.rpc_code).toBe(-32002);
    expect(e.context.reason).toBe("insufficient_lamports");
    expect(e.message).toMatch(/insufficient funds: account has \d+ lamports, needs 2000000000/);
  });

  it("system transfer beyond the balance sent without preflight: the landed status err → INSUFFICIENT_FUNDS", async () => {
    const sig = await pool.sendRawTransaction(await build(payer, [overdraw()]));
    const status = await waitForStatus(sig);
    expect(status.err).toEqual({ InstructionError: [0, { Custom: 1 }] });
    const e = classifyTransactionError(status.err, await getLogs(sig));
    expect(e.code).toBe("COURIER__OP__INSUFFICIENT_FUNDS");
    expect(e.context.reason).toBe("insufficient_lamports");
    expect(e.message).toMatch(/account has \d+ lamports, needs 2000000000/);
  });

  it("token transfer beyond the token balance → INSUFFICIENT_FUNDS (token), preflight and landed", async () => {
    const pre = await getCourierRejection(pool.sendRawTransaction(await build(payer, [tokenOverdraw()]), { skipPreflight: false }));
    expect(pre.code).toBe("COURIER__OP__INSUFFICIENT_FUNDS");
    expect(pre.context.reason).toBe("insufficient_token_balance");
    const sig = await pool.sendRawTransaction(await build(payer, [tokenOverdraw()]));
    const status = await waitForStatus(sig);
    const landed = classifyTransactionError(status.err, await getLogs(sig));
    expect(landed.code).toBe("COURIER__OP__INSUFFICIENT_FUNDS");
    expect(landed.context.program_id).toBe(TOKEN_PROGRAM_ID.toBase58());
  });

  it("a token program custom error → PROGRAM_ERROR with instruction index and custom code", async () => {
    const pre = await getCourierRejection(pool.sendRawTransaction(await build(payer, wrongDecimals()), { skipPreflight: false }));
    expect(pre.code).toBe("COURIER__OP__PROGRAM_ERROR");
    expect(pre.outcome).toBe("permanent");
    expect(pre.context).toMatchObject({ instruction: 1, custom_code: 18, program_id: TOKEN_PROGRAM_ID.toBase58() });
    expect(Array.isArray(pre.context.program_logs)).toBe(true);

    const sig = await pool.sendRawTransaction(await build(payer, wrongDecimals()));
    const status = await waitForStatus(sig);
    expect(status.err).toEqual({ InstructionError: [1, { Custom: 18 }] });
    const landed = classifyTransactionError(status.err, await getLogs(sig));
    expect(landed.context).toMatchObject({ instruction: 1, custom_code: 18 });
  });

  it("a fee payer with no account → ACCOUNT_NOT_FOUND (permanent)", async () => {
    const ghost = Keypair.generate();
    const ix = SystemProgram.transfer({ fromPubkey: ghost.publicKey, toPubkey: payer.publicKey, lamports: 1 });
    const e = await getCourierRejection(pool.sendRawTransaction(await build(ghost, [ix]), { skipPreflight: false }));
    expect(e.code).toBe("COURIER__OP__ACCOUNT_NOT_FOUND");
    expect(e.outcome).toBe("permanent");
  });

  it("an expired blockhash → BLOCKHASH_NOT_FOUND (retryable; the executor decides from block height)", async () => {
    const { blockhash, lastValidBlockHeight } = await pool.getLatestBlockhash();
    for (let i = 0; i < 1_500 && (await pool.getBlockHeight()) <= lastValidBlockHeight; i += 1) await sleep(20);
    const ix = SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: Keypair.generate().publicKey, lamports: 1_000_000 });
    const e = await getCourierRejection(pool.sendRawTransaction(await build(payer, [ix], [payer], blockhash), { skipPreflight: false }));
    expect(e.code).toBe("COURIER__RPC__BLOCKHASH_NOT_FOUND");
    expect(e.outcome).toBe("retryable");
  });

  it("the same transaction twice → ALREADY_PROCESSED (ambiguous: look up the status)", async () => {
    const wire = await build(payer, [SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: Keypair.generate().publicKey, lamports: 1_000_000 })]);
    const sig = await pool.sendRawTransaction(wire);
    expect((await waitForStatus(sig)).err).toBeNull();
    const e = await getCourierRejection(pool.sendRawTransaction(wire, { skipPreflight: false }));
    expect(e.code).toBe("COURIER__RPC__ALREADY_PROCESSED");
    expect(e.outcome).toBe("ambiguous");
  });

  it("web3.js v1 SendTransactionError (message only) maps to the same codes", async () => {
    const connection = new Connection(net.url, { commitment: "confirmed", disableRetryOnRateLimit: true });
    const lamports = await connection.sendRawTransaction(await build(payer, [overdraw()])).catch((e: unknown) => e);
    const a = classifySendTransactionError(lamports);
    expect(a.code).toBe("COURIER__OP__INSUFFICIENT_FUNDS");
    expect(a.message).toMatch(/account has \d+ lamports, needs 2000000000/);

    const custom = await connection.sendRawTransaction(await build(payer, wrongDecimals())).catch((e: unknown) => e);
    const b = classifyRpcError(custom);
    expect(b.code).toBe("COURIER__OP__PROGRAM_ERROR");
    expect(b.context).toMatchObject({ instruction: 1, custom_code: 18 });

    const ghost = Keypair.generate();
    const missing = await connection
      .sendRawTransaction(await build(ghost, [SystemProgram.transfer({ fromPubkey: ghost.publicKey, toPubkey: payer.publicKey, lamports: 1 })]))
      .catch((e: unknown) => e);
    expect(classifySendTransactionError(missing).code).toBe("COURIER__OP__ACCOUNT_NOT_FOUND");
  });

  it("web3.js v1 errors for HTTP 429 and 5xx map to RATE_LIMITED and SERVER_ERROR", async () => {
    const connection = new Connection(net.url, { commitment: "confirmed", disableRetryOnRateLimit: true });
    await net.setFaults({ rate_429: 1, retry_after_s: 1 });
    const limited = await connection.getBalance(payer.publicKey).catch((e: unknown) => e);
    await net.setFaults({ rate_5xx: 1 });
    const broken = await connection.getBalance(payer.publicKey).catch((e: unknown) => e);
    await net.setFaults({});
    expect(classifyRpcError(limited).code).toBe("COURIER__RPC__RATE_LIMITED");
    expect(classifyRpcError(broken).code).toBe("COURIER__RPC__SERVER_ERROR");
  });

  it("invalid params → INVALID_REQUEST (permanent), not failed over", async () => {
    const e = await getCourierRejection(pool.call("getBalance", ["not-a-pubkey"]));
    expect(e.code).toBe("COURIER__RPC__INVALID_REQUEST");
    expect(e.outcome).toBe("permanent");
  });
});
