/**
 * Call any program described by an Anchor IDL (spec 0.1.0, per-instruction discriminators).
 * Accounts are resolved and args encoded by Anchor itself (see anchor/build-anchor-instruction),
 * both when the op is scheduled (the method exists, every account is given or derivable, the
 * args encode) and when it runs. An IDL given as a path is read only from under `idlDir`.
 */
import { CourierError } from "@courier/agent";
import { Keypair, PublicKey } from "@solana/web3.js";
import { z } from "zod";
import { getAnchorErrorName } from "./anchor/anchor-errors.js";
import { type AccountsInput, buildAnchorInstruction } from "./anchor/build-anchor-instruction.js";
import { readIdlFile } from "./anchor/read-idl.js";
import { base58Key } from "./schemas.js";
import type { SolanaActionDef } from "./types.js";

const accountsInput: z.ZodType<AccountsInput> = z.lazy(() => z.record(z.string(), z.union([base58Key, accountsInput])));

const params = z.object({
  program_id: base58Key,
  /** The IDL itself, or a path to its JSON file under COURIER_IDL_DIR. */
  idl: z.union([z.record(z.string(), z.unknown()), z.string().min(1).max(1024)]),
  method: z.string().min(1),
  args: z.array(z.unknown()).default([]),
  /** By IDL name (snake_case or camelCase); nested account groups as nested objects. PDAs the IDL can derive may be left out. */
  accounts: accountsInput.default({}),
  /** Extra accounts appended after the IDL's (Anchor's `remainingAccounts`). */
  remaining_accounts: z.array(z.strictObject({ pubkey: base58Key, is_writable: z.boolean().default(false) })).default([]),
  /** Outflow in lamports the call causes, declared by the caller for the spend guards. */
  lamports: z.number().int().nonnegative().default(0),
  nonce_account: base58Key.optional(),
});

type AnchorInvokeParams = z.output<typeof params>;

/**
 * Stands in for the signer when an op is validated without one (only derivation depends on it).
 * Made on first use: generating a key at import cost every CLI command ~40 ms of start-up (the
 * curve library's first use).
 */
let placeholderSigner: PublicKey | null = null;
const getPlaceholderSigner = (): PublicKey => (placeholderSigner ??= Keypair.generate().publicKey);

export function createAnchorInvokeAction(opts: { idlDir: string }): SolanaActionDef<typeof params> {
  const loadIdl = async (p: AnchorInvokeParams) => (typeof p.idl === "string" ? await readIdlFile(p.idl, opts.idlDir) : p.idl);
  const toCall = async (p: AnchorInvokeParams) => ({
    idl: await loadIdl(p),
    programId: p.program_id,
    method: p.method,
    args: p.args,
    accounts: p.accounts,
    remainingAccounts: p.remaining_accounts,
  });
  return {
    name: "anchor.invoke",
    description: "Invoke an instruction described by an Anchor IDL.",
    params,
    async check(p) {
      await buildAnchorInstruction(await toCall(p), { signer: getPlaceholderSigner(), pool: null });
    },
    async build(p, ctx) {
      const ix = await buildAnchorInstruction(await toCall(p), { signer: ctx.signer.publicKey, pool: ctx.pool });
      if (!ix) throw new CourierError("COURIER__ACTION__INVALID_PARAMS", "anchor.invoke: accounts could not be resolved", { action: "anchor.invoke" });
      return {
        instructions: [ix],
        lamports: p.lamports,
        ...(p.nonce_account ? { nonceAccount: new PublicKey(p.nonce_account) } : {}),
      };
    },
    async describeError(error, p) {
      const code = error.context.custom_code;
      if (typeof code !== "number" || error.context.program_id !== p.program_id) return error;
      // The IDL the caller gave describes this program: its names win over the built-in tables.
      const named = getAnchorErrorName(await loadIdl(p).catch(() => ({})), code, { frameworkErrors: !error.context.error_name });
      if (!named) return error;
      return new CourierError(
        error.code,
        `program error: instruction ${error.context.instruction ?? "?"} failed with ${named.name} (custom code ${code}): ${named.message}`,
        { ...error.context, error_name: named.name },
        { outcome: error.outcome },
      );
    },
  };
}

/** anchor.invoke reading IDL paths from `./idl` (COURIER_IDL_DIR's default). */
export const anchorInvokeAction = createAnchorInvokeAction({ idlDir: "idl" });
