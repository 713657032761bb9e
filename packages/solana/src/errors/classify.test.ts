/**
 * Shapes the localnet cannot produce (a lagging node's JSON-RPC codes, load errors) and the
 * message formats of a real validator as web3.js v1 reports them.
 */
import { SendTransactionError } from "@solana/web3.js";
import { describe, expect, it } from "vitest";
import { classifyJsonRpcError, classifyRpcError, classifyTransactionError } from "./classify.js";
import { classifySendTransactionError, getTransactionErrorFromMessage } from "./classify-send-transaction-error.js";

describe("classifyJsonRpcError", () => {
  it("node behind / unhealthy / min context slot → NODE_BEHIND (retryable)", () => {
    for (const code of [-32004, -32005, -32014, -32016]) {
      const e = classifyJsonRpcError(code, "Node is behind by 42 slots", { numSlotsBehind: 42 });
      expect(e.code).toBe("COURIER__RPC__NODE_BEHIND");
      expect(e.outcome).toBe("retryable");
      expect(e.context.rpc_code).toBe(code);
    }
  });

  it("-32602 invalid params → INVALID_REQUEST (permanent); -32603 → SERVER_ERROR", () => {
    expect(classifyJsonRpcError(-32602, "Invalid param: WrongSize", undefined).outcome).toBe("permanent");
    expect(classifyJsonRpcError(-32603, "Internal error", undefined).code).toBe("COURIER__RPC__SERVER_ERROR");
  });

  it("-32002 takes its outcome from data.err", () => {
    const e = classifyJsonRpcError(-32002, "Transaction simulation failed: Blockhash not found", { err: "BlockhashNotFound", logs: [] });
    expect(e.code).toBe("COURIER__RPC__BLOCKHASH_NOT_FOUND");
    expect(e.context).toMatchObject({ rpc_code: -32002, preflight: true });
  });

  it("objects with a numeric code (web3.js SolanaJSONRPCError) go through the same table", () => {
    expect(classifyRpcError({ code: -32005, message: "Node is unhealthy" }).code).toBe("COURIER__RPC__NODE_BEHIND");
  });
});

describe("classifyTransactionError", () => {
  it("maps the top-level variants", () => {
    expect(classifyTransactionError("InsufficientFundsForFee").context.reason).toBe("insufficient_funds_for_fee");
    expect(classifyTransactionError({ InsufficientFundsForRent: { account_index: 1 } }).context).toMatchObject({ reason: "insufficient_funds_for_rent", account_index: 1 });
    expect(classifyTransactionError("AccountInUse").code).toBe("COURIER__RPC__CLUSTER_BUSY");
    expect(classifyTransactionError("SignatureFailure").code).toBe("COURIER__OP__TRANSACTION_FAILED");
    expect(classifyTransactionError(7).code).toBe("COURIER__RPC__BLOCKHASH_NOT_FOUND");
  });

  it("custom 1 without logs from an unknown program stays a PROGRAM_ERROR", () => {
    const e = classifyTransactionError({ InstructionError: [2, { Custom: 1 }] });
    expect(e.code).toBe("COURIER__OP__PROGRAM_ERROR");
    expect(e.context).toMatchObject({ instruction: 2, custom_code: 1 });
  });

  it("non-custom instruction errors keep the variant name", () => {
    const e = classifyTransactionError({ InstructionError: [0, "InvalidAccountData"] });
    expect(e.code).toBe("COURIER__OP__PROGRAM_ERROR");
    expect(e.context.variant).toBe("InvalidAccountData");
    expect(classifyTransactionError({ InstructionError: [0, { BorshIoError: "x" }] }).context.variant).toBe("BorshIoError");
  });
});

describe("classifySendTransactionError (web3.js v1)", () => {
  const logs = [
    "Program 11111111111111111111111111111111 invoke [1]",
    "Transfer: insufficient lamports 100, need 5000",
    "Program 11111111111111111111111111111111 failed: custom program error: 0x1",
  ];

  it("reads the instruction, the custom code and the logs back from the message", () => {
    const e = new SendTransactionError({
      action: "send",
      signature: "",
      transactionMessage: "Transaction simulation failed: Error processing Instruction 0: custom program error: 0x1",
      logs,
    });
    const c = classifySendTransactionError(e);
    expect(c.code).toBe("COURIER__OP__INSUFFICIENT_FUNDS");
    expect(c.message).toBe("insufficient funds: account has 100 lamports, needs 5000");
    expect(classifyRpcError(e).code).toBe("COURIER__OP__INSUFFICIENT_FUNDS");
  });

  it("recognises the node's Display strings", () => {
    expect(getTransactionErrorFromMessage("Transaction simulation failed: Blockhash not found")).toBe("BlockhashNotFound");
    expect(getTransactionErrorFromMessage("Transaction simulation failed: This transaction has already been processed")).toBe("AlreadyProcessed");
    expect(getTransactionErrorFromMessage("Transaction results in an account (1) with insufficient funds for rent")).toEqual({ InsufficientFundsForRent: { account_index: 1 } });
    expect(getTransactionErrorFromMessage("Error processing Instruction 3: custom program error: 0x1771")).toEqual({ InstructionError: [3, { Custom: 6001 }] });
  });
});
