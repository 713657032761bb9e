/** Test-side chain set-up through the real pool: mints, token accounts, nonce accounts. */

import { createSignerFromSecretKey, type RpcPool, type Signer, signTransaction } from "@courier/solana";
import {
  createAssociatedTokenAccountIdempotentInstruction,
  createInitializeMint2Instruction,
  createMintToInstruction,
  getAssociatedTokenAddressSync,
  MINT_SIZE,
  TOKEN_PROGRAM_ID,
} from "@solana/spl-token";
import { Keypair, NONCE_ACCOUNT_LENGTH, type PublicKey, SystemProgram, type TransactionInstruction } from "@solana/web3.js";

/** Sign, send and wait until confirmed; throws on a transaction error or after 10 s. */
export async function sendAndConfirm(pool: RpcPool, payer: Signer, instructions: TransactionInstruction[], signers: Signer[] = []): Promise<string> {
  const { blockhash } = await pool.getLatestBlockhash("confirmed");
  const signed = signTransaction({ payer, instructions, blockhash, signers });
  await pool.sendRawTransaction(signed.wire, { skipPreflight: false });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const [s] = await pool.getSignatureStatuses([signed.signature]);
    if (s?.err) throw new Error(`set-up transaction failed: ${JSON.stringify(s.err)}`);
    if (s && (s.confirmationStatus === "confirmed" || s.confirmationStatus === "finalized")) return signed.signature;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`set-up transaction ${signed.signature} not confirmed in 10 s`);
}

export function newSigner(): Signer {
  return createSignerFromSecretKey(Keypair.generate().secretKey);
}

/** A mint (authority: payer) and `amount` tokens in the payer's associated token account. */
export async function createMintWithBalance(pool: RpcPool, payer: Signer, decimals: number, amount: bigint): Promise<{ mint: PublicKey; source: PublicKey }> {
  const mint = newSigner();
  const rent = await pool.call<number>("getMinimumBalanceForRentExemption", [MINT_SIZE]);
  const source = getAssociatedTokenAddressSync(mint.publicKey, payer.publicKey);
  await sendAndConfirm(
    pool,
    payer,
    [
      SystemProgram.createAccount({ fromPubkey: payer.publicKey, newAccountPubkey: mint.publicKey, lamports: rent, space: MINT_SIZE, programId: TOKEN_PROGRAM_ID }),
      createInitializeMint2Instruction(mint.publicKey, decimals, payer.publicKey, null),
      createAssociatedTokenAccountIdempotentInstruction(payer.publicKey, source, payer.publicKey, mint.publicKey),
      createMintToInstruction(mint.publicKey, source, payer.publicKey, amount),
    ],
    [mint],
  );
  return { mint: mint.publicKey, source };
}

/** Token amount held by a token account (0 when it does not exist). */
export async function getTokenAmount(pool: RpcPool, account: PublicKey): Promise<bigint> {
  const info = await pool.getAccountInfo(account.toBase58());
  if (!info) return 0n;
  return Buffer.from(info.data).readBigUInt64LE(64);
}

/** A durable nonce account whose authority is `payer`. */
export async function createNonceAccount(pool: RpcPool, payer: Signer): Promise<PublicKey> {
  const nonce = newSigner();
  const rent = await pool.call<number>("getMinimumBalanceForRentExemption", [NONCE_ACCOUNT_LENGTH]);
  await sendAndConfirm(
    pool,
    payer,
    SystemProgram.createNonceAccount({
      fromPubkey: payer.publicKey,
      noncePubkey: nonce.publicKey,
      authorizedPubkey: payer.publicKey,
      lamports: rent,
    }).instructions,
    [nonce],
  );
  return nonce.publicKey;
}
