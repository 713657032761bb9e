/**
 * How many instructions Courier put in front of an op's own: the durable-nonce advance (first)
 * and the compute-budget instructions. Error messages subtract them, so "instruction 0" is the
 * op's first instruction, as its author wrote it.
 */
import { ComputeBudgetProgram, SystemProgram, VersionedMessage } from "@solana/web3.js";

export function getCourierInstructionCount(wire: Uint8Array): number {
  const sigCount = wire[0] ?? 0;
  let message: VersionedMessage;
  try {
    message = VersionedMessage.deserialize(wire.subarray(1 + 64 * sigCount));
  } catch {
    return 0;
  }
  let count = 0;
  for (const [i, ix] of message.compiledInstructions.entries()) {
    const program = message.staticAccountKeys[ix.programIdIndex];
    const isNonceAdvance = i === 0 && program?.equals(SystemProgram.programId) && ix.data.length === 4 && ix.data[0] === 4;
    if (!isNonceAdvance && !program?.equals(ComputeBudgetProgram.programId)) break;
    count++;
  }
  return count;
}
