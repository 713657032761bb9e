/**
 * Compute budget: a unit limit sized from simulation (or a builder's static estimate) plus a
 * margin, and a unit price from recent prioritization fees.
 */
import { ComputeBudgetProgram, type TransactionInstruction } from "@solana/web3.js";

export const MIN_COMPUTE_UNITS = 1_000;
export const MAX_COMPUTE_UNITS = 1_400_000;
/** Margin over measured consumption: state can move between simulation and execution. */
export const COMPUTE_UNIT_MARGIN = 1.1;
/** Cost of the compute-budget instructions themselves (charged since SIMD-0170 at 150 CU each). */
const COMPUTE_BUDGET_IX_UNITS = 300;

/** The unit limit for `consumed` units (from simulation), with margin, within bounds. */
export function getComputeUnitLimit(consumed: number): number {
  const want = Math.ceil((consumed + COMPUTE_BUDGET_IX_UNITS) * COMPUTE_UNIT_MARGIN);
  return Math.min(MAX_COMPUTE_UNITS, Math.max(MIN_COMPUTE_UNITS, want));
}

/** SetComputeUnitLimit / SetComputeUnitPrice instructions (price omitted when zero). */
export function getComputeBudgetInstructions(args: { units: number | null; microLamports: number }): TransactionInstruction[] {
  const out: TransactionInstruction[] = [];
  if (args.units !== null) out.push(ComputeBudgetProgram.setComputeUnitLimit({ units: args.units }));
  if (args.microLamports > 0) out.push(ComputeBudgetProgram.setComputeUnitPrice({ microLamports: args.microLamports }));
  return out;
}
