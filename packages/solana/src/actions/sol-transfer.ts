import { PublicKey, SystemProgram } from "@solana/web3.js";
import { z } from "zod";
import { withCachedBase58 } from "../keys/cached-base58.js";
import { base58Key } from "./schemas.js";
import type { SolanaActionDef } from "./types.js";

/** What a System program instruction costs (a builtin's fixed price, measured on the localnet: 150). */
export const SYSTEM_INSTRUCTION_UNITS = 150;

const params = z.object({
  to: base58Key,
  lamports: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  /** Durable nonce account (authority: the signer) for transactions signed long in advance. */
  nonce_account: base58Key.optional(),
});

export const solTransferAction: SolanaActionDef<typeof params> = {
  name: "sol.transfer",
  description: "Transfer lamports from the signer to `to`.",
  params,
  build(p, ctx) {
    // `to` passed the schema's check that it is a key's canonical base58 form.
    const to = withCachedBase58(new PublicKey(p.to), p.to);
    return {
      instructions: [SystemProgram.transfer({ fromPubkey: ctx.signer.publicKey, toPubkey: to, lamports: p.lamports })],
      lamports: p.lamports,
      // Sized statically so the hot path skips simulation (see docs/fees.md).
      computeUnits: SYSTEM_INSTRUCTION_UNITS,
      recipient: { address: to, lamports: p.lamports },
      ...(p.nonce_account ? { nonceAccount: new PublicKey(p.nonce_account) } : {}),
    };
  },
};
