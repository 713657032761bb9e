/**
 * Transaction fee as the validator computes it: 5,000 lamports per signature plus the priority
 * fee (compute-unit price × compute-unit limit, rounded up) from ComputeBudget instructions.
 */
import { decodeBase58 } from "./base58.js";
import type { WireTransaction } from "./wire-transaction.js";

export const LAMPORTS_PER_SIGNATURE = 5000;
const COMPUTE_BUDGET_PROGRAM = decodeBase58("ComputeBudget111111111111111111111111111111")!;
const DEFAULT_UNITS_PER_INSTRUCTION = 200_000;
const MAX_UNITS = 1_400_000;

export function computeFee(tx: WireTransaction): number {
  const base = LAMPORTS_PER_SIGNATURE * tx.numRequiredSignatures;
  let microLamports = 0n;
  let limit: number | null = null;
  let otherInstructions = 0;
  let budgetIndex = -1;
  for (const ix of tx.instructions) {
    if (budgetIndex === -1 && isComputeBudget(tx, ix.programIdIndex)) budgetIndex = ix.programIdIndex;
    if (ix.programIdIndex !== budgetIndex) {
      otherInstructions += 1;
      continue;
    }
    const d = ix.data;
    const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
    if (d[0] === 3 && d.length >= 9) microLamports = view.getBigUint64(1, true);
    if (d[0] === 2 && d.length >= 5) limit = view.getUint32(1, true);
  }
  if (microLamports === 0n) return base;
  const units = BigInt(Math.min(MAX_UNITS, limit ?? DEFAULT_UNITS_PER_INSTRUCTION * otherInstructions));
  return base + Number((microLamports * units + 999_999n) / 1_000_000n);
}

function isComputeBudget(tx: WireTransaction, index: number): boolean {
  const key = tx.accountKeys[index];
  if (key === undefined) return false;
  for (let i = 0; i < 32; i++) if (key[i] !== COMPUTE_BUDGET_PROGRAM[i]) return false;
  return true;
}
