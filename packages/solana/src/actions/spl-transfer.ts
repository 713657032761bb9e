import { CourierError } from "@courier/agent";
import { PublicKey, type TransactionInstruction } from "@solana/web3.js";
import { z } from "zod";
import type { RpcPool } from "../rpc/types.js";
import { base58Key, u64Amount } from "./schemas.js";
import {
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
  createAssociatedTokenAccountIdempotent,
  createTransferChecked,
  getAssociatedTokenAddress,
} from "./token-instructions.js";
import type { SolanaActionDef } from "./types.js";

const params = z.object({
  mint: base58Key,
  /** The recipient's wallet (its associated token account receives the tokens). */
  to: base58Key,
  amount: u64Amount,
  decimals: z.number().int().min(0).max(255).optional(),
  create_ata: z.boolean().optional(),
  /** Durable nonce account (authority: the signer) for transactions signed long in advance. */
  nonce_account: base58Key.optional(),
});

// Rent-exempt minimum of a 165-byte token account: an outflow when the recipient's ATA is created.
const TOKEN_ACCOUNT_RENT_LAMPORTS = 2_039_280;
// Offset of `decimals` in the SPL Mint layout (COption<Pubkey> 36 bytes + supply u64).
const MINT_DECIMALS_OFFSET = 44;

export const splTransferAction: SolanaActionDef<typeof params> = {
  name: "spl.transfer",
  description: "Transfer SPL tokens (TransferChecked) from the signer's associated token account to `to`'s.",
  params,
  async build(p, ctx) {
    const mint = new PublicKey(p.mint);
    const owner = new PublicKey(p.to);
    const { programId, decimals: mintDecimals } = await getMintInfo(ctx.pool, mint);
    const decimals = p.decimals ?? mintDecimals;
    const source = getAssociatedTokenAddress(mint, ctx.signer.publicKey, programId);
    const destination = getAssociatedTokenAddress(mint, owner, programId);
    const instructions: TransactionInstruction[] = [];
    if (p.create_ata) {
      instructions.push(createAssociatedTokenAccountIdempotent(ctx.signer.publicKey, destination, owner, mint, programId));
    }
    instructions.push(createTransferChecked(source, mint, destination, ctx.signer.publicKey, BigInt(p.amount), decimals, programId));
    return {
      instructions,
      lamports: p.create_ata ? TOKEN_ACCOUNT_RENT_LAMPORTS : 0,
      ...(p.nonce_account ? { nonceAccount: new PublicKey(p.nonce_account) } : {}),
    };
  },
};

async function getMintInfo(pool: RpcPool, mint: PublicKey): Promise<{ programId: PublicKey; decimals: number }> {
  const info = await pool.getAccountInfo(mint.toBase58());
  if (!info) {
    throw new CourierError("COURIER__OP__ACCOUNT_NOT_FOUND", `mint ${mint.toBase58()} does not exist`, { account: mint.toBase58() });
  }
  const owner = new PublicKey(info.owner);
  if (!owner.equals(TOKEN_PROGRAM_ID) && !owner.equals(TOKEN_2022_PROGRAM_ID)) {
    throw new CourierError("COURIER__VALIDATION", `${mint.toBase58()} is not a token mint (owner ${info.owner})`, { account: mint.toBase58() });
  }
  const decimals = info.data[MINT_DECIMALS_OFFSET];
  if (decimals === undefined) {
    throw new CourierError("COURIER__VALIDATION", `${mint.toBase58()} is not a token mint (data too short)`, { account: mint.toBase58() });
  }
  return { programId: owner, decimals };
}
