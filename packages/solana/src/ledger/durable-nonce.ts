/**
 * Durable nonces: a transaction whose first instruction advances a nonce account and whose
 * "blockhash" is that account's stored nonce stays valid until it lands or the nonce moves.
 * Its ledger entry records `last_valid_block_height = NONCE_LAST_VALID_BLOCK_HEIGHT` (no block
 * height bounds it) and expiry is "the nonce account no longer holds this entry's blockhash".
 */

import { CourierError } from "@courier/agent";
import { Keypair, NONCE_ACCOUNT_LENGTH, NonceAccount, type PublicKey, SystemProgram, VersionedMessage } from "@solana/web3.js";
import { classifyTransactionError } from "../errors/classify-transaction-error.js";
import { createSignerFromSecretKey, type Signer } from "../keys/signer.js";
import type { RpcPool } from "../rpc/types.js";
import { signTransaction } from "../signing/sign-transaction.js";

/** Ledger marker: this entry is bounded by a durable nonce, not by block height. */
export const NONCE_LAST_VALID_BLOCK_HEIGHT = -1;

export function isNonceEntry(entry: { last_valid_block_height: number }): boolean {
  return entry.last_valid_block_height === NONCE_LAST_VALID_BLOCK_HEIGHT;
}

/** The nonce value stored in `account` and its authority. */
export async function getNonce(pool: RpcPool, account: PublicKey): Promise<{ nonce: string; authority: PublicKey }> {
  const info = await pool.getAccountInfo(account.toBase58());
  if (!info || info.owner !== SystemProgram.programId.toBase58()) {
    throw new CourierError("COURIER__OP__ACCOUNT_NOT_FOUND", `nonce account ${account.toBase58()} does not exist`, { account: account.toBase58() });
  }
  try {
    const nonce = NonceAccount.fromAccountData(Buffer.from(info.data));
    return { nonce: nonce.nonce, authority: nonce.authorizedPubkey };
  } catch {
    throw new CourierError("COURIER__VALIDATION", `${account.toBase58()} is not an initialized nonce account`, { account: account.toBase58() });
  }
}

/** The nonce account a signed transaction advances (its first instruction), read from the wire bytes. */
export function getNonceAccountOfWire(wire: Uint8Array): PublicKey | null {
  const sigCount = wire[0] ?? 0;
  const message = VersionedMessage.deserialize(wire.subarray(1 + 64 * sigCount));
  const first = message.compiledInstructions[0];
  if (!first) return null;
  const program = message.staticAccountKeys[first.programIdIndex];
  // AdvanceNonceAccount is SystemInstruction 4 (u32 LE), accounts [nonce, recent_blockhashes, authority].
  if (!program?.equals(SystemProgram.programId) || first.data.length !== 4 || first.data[0] !== 4) return null;
  const idx = first.accountKeyIndexes[0];
  return idx === undefined ? null : (message.staticAccountKeys[idx] ?? null);
}

/**
 * Create a durable-nonce account whose authority is `payer` (it also pays the rent and fee).
 * `lamports` defaults to the rent-exempt minimum of a nonce account; less is refused. Resolves
 * once the creating transaction is confirmed.
 */
export async function createNonceAccount(
  pool: RpcPool,
  payer: Signer,
  opts: { lamports?: number; timeoutMs?: number } = {},
): Promise<{ address: PublicKey; lamports: number; signature: string }> {
  const minimum = await pool.call<number>("getMinimumBalanceForRentExemption", [NONCE_ACCOUNT_LENGTH]);
  const lamports = opts.lamports ?? minimum;
  if (lamports < minimum) {
    throw new CourierError("COURIER__VALIDATION", `--lamports must be at least ${minimum} (the rent-exempt minimum of a nonce account)`, { field: "lamports", minimum });
  }
  const nonce = Keypair.generate();
  const nonceSigner = createSignerFromSecretKey(nonce.secretKey);
  const { blockhash, lastValidBlockHeight } = await pool.getLatestBlockhash("confirmed");
  const { instructions } = SystemProgram.createNonceAccount({
    fromPubkey: payer.publicKey,
    noncePubkey: nonce.publicKey,
    authorizedPubkey: payer.publicKey,
    lamports,
  });
  const signed = signTransaction({ payer, instructions, blockhash, signers: [nonceSigner] });
  const sim = await pool.simulateTransaction(signed.wire, { sigVerify: false, replaceRecentBlockhash: true });
  if (sim.err !== null && sim.err !== undefined) throw classifyTransactionError(sim.err, sim.logs);
  await pool.sendRawTransaction(signed.wire, { skipPreflight: true });
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    const [status] = await pool.getSignatureStatuses([signed.signature]);
    if (status?.err) throw classifyTransactionError(status.err, null);
    if (status?.confirmationStatus === "confirmed" || status?.confirmationStatus === "finalized") {
      return { address: nonce.publicKey, lamports, signature: signed.signature };
    }
    if ((await pool.getBlockHeight("confirmed")) > lastValidBlockHeight) break;
    await new Promise((r) => setTimeout(r, 400));
  }
  throw new CourierError("COURIER__RPC__UNCONFIRMED", `nonce account ${nonce.publicKey.toBase58()} not confirmed (transaction ${signed.signature}); check it before retrying`, {
    signature: signed.signature,
    account: nonce.publicKey.toBase58(),
  });
}
