/**
 * Solana actions: a name, a zod schema for params (validated when an op is scheduled), and a
 * builder that turns params into instructions. The executor adds compute budget, receipts,
 * nonce advance, signing and the ledger around whatever a builder returns.
 */

import type { CourierError, Op } from "@courier/agent";
import type { PublicKey, TransactionInstruction } from "@solana/web3.js";
import type { z } from "zod";
import type { Signer } from "../keys/signer.js";
import type { RpcPool } from "../rpc/types.js";

export interface ActionBuildContext {
  signer: Signer;
  pool: RpcPool;
  op: Op;
  run: number;
}

export interface BuiltAction {
  instructions: TransactionInstruction[];
  /** Lamports this transaction moves out of the signer (spend guards and accounting). */
  lamports: number;
  /** Additional signers the instructions need (the fee payer is always the Courier signer). */
  signers?: Signer[];
  /**
   * Compute units the instructions need, when the builder can size them statically. Given, the
   * executor skips the simulation (the lean hot path for plain transfers and memos).
   */
  computeUnits?: number;
  /** A durable nonce account whose authority is the signer: the transaction uses its nonce. */
  nonceAccount?: PublicKey;
  /**
   * A system account this transaction pays lamports into and that may not exist yet: refused
   * before signing when the amount could not make a new account rent-exempt.
   */
  recipient?: { address: PublicKey; lamports: number };
}

export interface SolanaActionDef<S extends z.ZodType = z.ZodType> {
  name: string;
  description?: string;
  params: S;
  build(params: z.output<S>, ctx: ActionBuildContext): Promise<BuiltAction> | BuiltAction;
  /** Checks beyond the schema, run when an op is scheduled (no chain access); throws INVALID_PARAMS. */
  check?(params: z.output<S>): Promise<void> | void;
  /** Names a failure in the action's own terms (an Anchor program's IDL errors); returns `error` when it cannot. */
  describeError?(error: CourierError, params: z.output<S>): Promise<CourierError> | CourierError;
}
