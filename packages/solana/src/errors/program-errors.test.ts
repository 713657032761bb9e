/** Program error names and the op's own instruction numbering, from the shapes a cluster returns. */
import { ComputeBudgetProgram, Keypair, SystemProgram } from "@solana/web3.js";
import { describe, expect, it } from "vitest";
import { createMemoInstruction } from "../actions/memo.js";
import { createSignerFromSecretKey } from "../keys/signer.js";
import { signTransaction } from "../signing/sign-transaction.js";
import { classifyTransactionError } from "./classify-transaction-error.js";
import { getCourierInstructionCount } from "./instruction-offset.js";
import { ASSOCIATED_TOKEN_PROGRAM_ID } from "./program-error-names.js";
import { SYSTEM_PROGRAM_ID, TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID } from "./program-logs.js";

const failed = (program: string, code: number) => [`Program ${program} invoke [1]`, `Program ${program} failed: custom program error: 0x${code.toString(16)}`];

describe("custom program errors by name", () => {
  it("SPL Token 18 is MintDecimalsMismatch; index counts only the op's own instructions", () => {
    const e = classifyTransactionError({ InstructionError: [2, { Custom: 18 }] }, failed(TOKEN_PROGRAM_ID, 18), { instructionOffset: 2 });
    expect(e.code).toBe("COURIER__OP__PROGRAM_ERROR");
    expect(e.message).toBe("program error: instruction 0 failed with MintDecimalsMismatch (SPL Token custom error 18, 0x12)");
    expect(e.context).toMatchObject({ instruction: 0, custom_code: 18, error_name: "MintDecimalsMismatch", program_id: TOKEN_PROGRAM_ID });
  });

  it("names System, Token-2022 and Associated Token Account errors", () => {
    expect(classifyTransactionError({ InstructionError: [0, { Custom: 0 }] }, failed(SYSTEM_PROGRAM_ID, 0)).message).toMatch(/AccountAlreadyInUse \(System program custom error 0/);
    expect(classifyTransactionError({ InstructionError: [0, { Custom: 17 }] }, failed(TOKEN_2022_PROGRAM_ID, 17)).message).toMatch(/AccountFrozen \(Token-2022 custom error 17/);
    expect(classifyTransactionError({ InstructionError: [0, { Custom: 0 }] }, failed(ASSOCIATED_TOKEN_PROGRAM_ID, 0)).message).toMatch(/InvalidOwner \(Associated Token Account/);
    // A Token-2022 extension error outside the shared table still names the program.
    expect(classifyTransactionError({ InstructionError: [0, { Custom: 40 }] }, failed(TOKEN_2022_PROGRAM_ID, 40)).message).toMatch(/custom code 40 \(0x28\) of Token-2022/);
  });

  it("a failure in Courier's own prefix is named as such", () => {
    const e = classifyTransactionError({ InstructionError: [0, { Custom: 6 }] }, failed(SYSTEM_PROGRAM_ID, 6), { instructionOffset: 2 });
    expect(e.message).toMatch(/Courier's nonce\/compute-budget instruction failed with NonceNoRecentBlockhashes/);
  });
});

describe("getCourierInstructionCount", () => {
  const payer = createSignerFromSecretKey(Keypair.generate().secretKey);
  const blockhash = Keypair.generate().publicKey.toBase58();
  const transfer = SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: Keypair.generate().publicKey, lamports: 1 });

  it("counts the nonce advance and compute-budget instructions before the op's", () => {
    const nonce = SystemProgram.nonceAdvance({ noncePubkey: Keypair.generate().publicKey, authorizedPubkey: payer.publicKey });
    const budget = [ComputeBudgetProgram.setComputeUnitLimit({ units: 1_000 }), ComputeBudgetProgram.setComputeUnitPrice({ microLamports: 5 })];
    const wire = (ixs: Parameters<typeof signTransaction>[0]["instructions"]) => signTransaction({ payer, instructions: ixs, blockhash }).wire;
    expect(getCourierInstructionCount(wire([nonce, ...budget, transfer, createMemoInstruction("r")]))).toBe(3);
    expect(getCourierInstructionCount(wire([...budget, transfer]))).toBe(2);
    expect(getCourierInstructionCount(wire([transfer, ...budget]))).toBe(0);
  });
});
