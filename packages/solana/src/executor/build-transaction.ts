/**
 * From an op to signed wire bytes: action builder → guards → compute budget (static or from
 * simulation) → blockhash or durable nonce → native signature. Nothing here sends.
 */

import { CourierError, type Op } from "@courier/agent";
import { SystemProgram, type TransactionInstruction } from "@solana/web3.js";
import { createMemoInstruction, getMemoComputeUnits } from "../actions/memo.js";
import { SYSTEM_INSTRUCTION_UNITS } from "../actions/sol-transfer.js";
import type { BuiltAction, SolanaActionDef } from "../actions/types.js";
import { classifyTransactionError, getCourierInstructionCount } from "../errors/index.js";
import { getComputeBudgetInstructions, getComputeUnitLimit, MAX_COMPUTE_UNITS } from "../fees/compute-budget.js";
import { getRaisedPrice, type PriorityFeeEstimator } from "../fees/priority-fee.js";
import type { RecipientRentCheck } from "../guards/recipient-rent.js";
import type { SignerFunds } from "../guards/signer-funds.js";
import type { SpendGuards } from "../guards/spend-guards.js";
import type { Signer } from "../keys/signer.js";
import { getNonce, NONCE_LAST_VALID_BLOCK_HEIGHT } from "../ledger/durable-nonce.js";
import type { RpcPool } from "../rpc/types.js";
import { type SignedTransaction, signTransaction } from "../signing/sign-transaction.js";
import type { BlockhashCache } from "./blockhash-cache.js";

/** A well-formed blockhash for simulation probes, which the node replaces (replaceRecentBlockhash). */
const SIMULATION_BLOCKHASH = "11111111111111111111111111111111";

export interface BuiltTransaction extends SignedTransaction {
  lastValidBlockHeight: number;
  lamports: number;
  /** UTC day the spend was reserved on (released there if the transaction never lands). */
  spendDay: string;
}

export interface TransactionBuilderDeps {
  pool: RpcPool;
  signer: Signer;
  guards: SpendGuards;
  fees: PriorityFeeEstimator;
  blockhashes: BlockhashCache;
  feeCeilingMicroLamports: number | null;
  recipients: RecipientRentCheck;
  funds: SignerFunds;
}

export async function buildSignedTransaction(
  deps: TransactionBuilderDeps,
  args: { op: Op; run: number; action: SolanaActionDef; params: unknown; resign: boolean },
): Promise<BuiltTransaction> {
  const { pool, signer } = deps;
  const built: BuiltAction = await args.action.build(args.params, { signer, pool, op: args.op, run: args.run });
  if (built.recipient) await deps.recipients.check(built.recipient);
  const estimate = await deps.fees.estimate(getWritableAccounts(built.instructions, signer));
  const wanted = args.resign ? getRaisedPrice(estimate, deps.feeCeilingMicroLamports) : estimate;
  const microLamports = await deps.guards.clampFee({ op_id: args.op.id, microLamports: wanted });
  await deps.guards.checkOp({ op_id: args.op.id, lamports: built.lamports });

  const body: TransactionInstruction[] = [...built.instructions];
  let staticUnits = built.computeUnits ?? null;
  // Every run's transaction carries the receipt memo `courier:<op_id>:<run>`. Besides letting the
  // chain itself be reconciled, it makes each run's bytes unique: two ops (or two runs of one
  // recurring op) with identical instructions inside one blockhash's lifetime would otherwise sign
  // to the same signature, and the second would be rejected as AlreadyProcessed — a lost payment.
  const receipt = `courier:${args.op.id}:${args.run}`;
  body.push(createMemoInstruction(receipt));
  if (staticUnits !== null) staticUnits += getMemoComputeUnits(Buffer.byteLength(receipt));

  let blockhash: string | null = null;
  let lastValidBlockHeight = NONCE_LAST_VALID_BLOCK_HEIGHT;
  const prefix: TransactionInstruction[] = [];
  if (built.nonceAccount) {
    const nonce = await getNonce(pool, built.nonceAccount);
    if (!nonce.authority.equals(signer.publicKey)) {
      throw new CourierError("COURIER__VALIDATION", `nonce account ${built.nonceAccount.toBase58()} is not controlled by the signer`, {
        account: built.nonceAccount.toBase58(),
      });
    }
    // AdvanceNonceAccount must be the first instruction for the runtime to accept the nonce.
    prefix.push(SystemProgram.nonceAdvance({ noncePubkey: built.nonceAccount, authorizedPubkey: signer.publicKey }));
    if (staticUnits !== null) staticUnits += SYSTEM_INSTRUCTION_UNITS;
    blockhash = nonce.nonce;
  }

  // Every read that may take a while (the balance, a simulation) comes before the blockhash:
  // a recent blockhash is valid for only ~150 blocks, and each slow read between fetching it and
  // sending would age it (at 400 ms blocks, 60 s; on a fast cluster or a slow endpoint, a few
  // reads can outlive it and every signed transaction expires unsent). The simulation replaces
  // the blockhash anyway (replaceRecentBlockhash), so it needs none of its own.
  const probeBlockhash = blockhash ?? SIMULATION_BLOCKHASH;
  let units: number | null;
  if (staticUnits !== null && (await deps.funds.mayFallShort(built.lamports))) {
    // The balance may not cover it: simulate, so a failing transfer is refused unsigned
    // instead of landing failed and paying its fee.
    units = await simulateUnits(deps, [...prefix, ...body], probeBlockhash, built.signers);
  } else if (staticUnits !== null) {
    // Statically sized: the limit matters only when a price is paid per unit.
    units = microLamports > 0 ? getComputeUnitLimit(staticUnits) : null;
  } else {
    units = await simulateUnits(deps, [...prefix, ...body], probeBlockhash, built.signers);
  }
  if (blockhash === null) {
    const latest = await deps.blockhashes.get({ fresh: args.resign });
    blockhash = latest.blockhash;
    lastValidBlockHeight = latest.lastValidBlockHeight;
  }
  const instructions = [...prefix, ...getComputeBudgetInstructions({ units, microLamports }), ...body];
  const signed = signTransaction({ payer: signer, instructions, blockhash, ...(built.signers ? { signers: built.signers } : {}) });
  // Reserved last: every step that can refuse the op has passed, so a reservation is only
  // made for a transaction about to be persisted (the caller releases it if that fails).
  const spendDay = await deps.guards.reserve({ op_id: args.op.id, lamports: built.lamports });
  return { ...signed, lastValidBlockHeight, lamports: built.lamports, spendDay };
}

/** Simulate with the maximum limit and size the real limit from what was consumed. */
async function simulateUnits(deps: TransactionBuilderDeps, instructions: TransactionInstruction[], blockhash: string, signers?: Signer[]): Promise<number> {
  const probe = signTransaction({
    payer: deps.signer,
    instructions: [...getComputeBudgetInstructions({ units: MAX_COMPUTE_UNITS, microLamports: 0 }), ...instructions],
    blockhash,
    ...(signers ? { signers } : {}),
  });
  const sim = await deps.pool.simulateTransaction(probe.wire, { sigVerify: false, replaceRecentBlockhash: true });
  if (sim.err !== null && sim.err !== undefined) {
    // A permanent simulation failure (program error, insufficient funds) would fail on chain too:
    // refuse before paying a fee. A transient one surfaces with its own (retryable) class.
    // The probe carries one compute-budget instruction before the op's (after a nonce advance).
    throw classifyTransactionError(sim.err, sim.logs, { instructionOffset: getCourierInstructionCount(probe.wire) });
  }
  return getComputeUnitLimit(sim.unitsConsumed ?? 200_000);
}

/** The accounts the transaction locks for writing (the fee payer included): what its priority fee competes for. */
function getWritableAccounts(instructions: readonly TransactionInstruction[], signer: Signer): string[] {
  const out = new Set<string>([signer.publicKey.toBase58()]);
  for (const ix of instructions) for (const k of ix.keys) if (k.isWritable) out.add(k.pubkey.toBase58());
  return [...out];
}
