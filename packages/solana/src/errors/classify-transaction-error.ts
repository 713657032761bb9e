/**
 * A transaction error (the JSON `err` of a signature status, a simulation, or a -32002 preflight
 * failure) turned into a CourierError with its outcome class. Logs, when given, supply what the
 * JSON omits: the failing program and a human reason.
 */
import { CourierError } from "@courier/agent";
import {
  SYSTEM_PROGRAM_ID,
  getFailingProgram,
  getProgramLogExcerpt,
  getSystemInsufficientLamports,
  getTopLevelProgram,
  hasTokenInsufficientFunds,
  isTokenProgram,
} from "./program-logs.js";

/** LiteSVM-style numeric TransactionError discriminants, in case a raw number reaches us. */
const NUMERIC_VARIANTS: Record<number, string> = {
  2: "AccountNotFound",
  4: "InsufficientFundsForFee",
  6: "AlreadyProcessed",
  7: "BlockhashNotFound",
  11: "SignatureFailure",
  13: "SanitizeFailure",
};

/** Variants where the cluster refused for load reasons: the same transaction may pass later. */
const BUSY_VARIANTS = new Set([
  "AccountInUse",
  "WouldExceedMaxBlockCostLimit",
  "WouldExceedMaxAccountCostLimit",
  "WouldExceedMaxVoteCostLimit",
  "WouldExceedAccountDataBlockLimit",
  "WouldExceedAccountDataTotalLimit",
  "TooManyAccountLocks",
]);

type Logs = readonly string[] | null | undefined;

export function classifyTransactionError(err: unknown, logs?: Logs): CourierError {
  const variant = getVariant(err);
  const base = { transaction_error: err as unknown };
  switch (variant.name) {
    case "BlockhashNotFound":
      // Retryable in itself, but "blockhash not found" can mean a lagging node: the executor
      // decides from block height, never from this code alone.
      return new CourierError("COURIER__RPC__BLOCKHASH_NOT_FOUND", "blockhash not found", base);
    case "AlreadyProcessed":
      return new CourierError("COURIER__RPC__ALREADY_PROCESSED", "transaction already processed: it landed before; look up its status", base);
    case "InsufficientFundsForFee":
      return new CourierError("COURIER__OP__INSUFFICIENT_FUNDS", "insufficient funds for fee: the fee payer cannot pay the transaction fee", {
        ...base,
        reason: "insufficient_funds_for_fee",
      });
    case "InsufficientFundsForRent":
      return new CourierError("COURIER__OP__INSUFFICIENT_FUNDS", "insufficient funds for rent: an account would fall below rent exemption", {
        ...base,
        reason: "insufficient_funds_for_rent",
        account_index: (variant.payload as { account_index?: unknown } | undefined)?.account_index ?? null,
      });
    case "AccountNotFound":
      return new CourierError("COURIER__OP__ACCOUNT_NOT_FOUND", "account not found: the fee payer has no account (never funded)", base);
    case "InstructionError":
      return classifyInstructionError(err, variant.payload, logs);
    default:
      if (BUSY_VARIANTS.has(variant.name)) {
        return new CourierError("COURIER__RPC__CLUSTER_BUSY", `cluster busy: ${variant.name}`, base);
      }
      return new CourierError("COURIER__OP__TRANSACTION_FAILED", `transaction failed: ${variant.name}`, { ...base, variant: variant.name });
  }
}

function classifyInstructionError(err: unknown, payload: unknown, logs: Logs): CourierError {
  const [index, inner] = Array.isArray(payload) ? payload : [null, payload];
  const instruction = typeof index === "number" ? index : null;
  const innerVariant = getVariant(inner);
  const failing = getFailingProgram(logs) ?? (instruction === null ? null : getTopLevelProgram(logs, instruction));
  const program_logs = getProgramLogExcerpt(logs);
  const base = { transaction_error: err, instruction, program_id: failing };

  if (innerVariant.name === "Custom") {
    const custom_code = typeof innerVariant.payload === "number" ? innerVariant.payload : Number(innerVariant.payload);
    const insufficient = getInsufficientFundsReason(custom_code, failing, logs);
    if (insufficient) {
      return new CourierError("COURIER__OP__INSUFFICIENT_FUNDS", insufficient.message, {
        ...base,
        reason: insufficient.reason,
        custom_code,
        program_logs,
      });
    }
    return new CourierError(
      "COURIER__OP__PROGRAM_ERROR",
      `program error: instruction ${instruction ?? "?"} failed with custom code ${custom_code} (0x${custom_code.toString(16)})${failing ? ` in ${failing}` : ""}`,
      { ...base, custom_code, program_logs },
    );
  }
  if (innerVariant.name === "InsufficientFunds") {
    return new CourierError("COURIER__OP__INSUFFICIENT_FUNDS", `insufficient funds for instruction ${instruction ?? "?"}`, {
      ...base,
      reason: "insufficient_funds_for_instruction",
      program_logs,
    });
  }
  return new CourierError("COURIER__OP__PROGRAM_ERROR", `program error: instruction ${instruction ?? "?"} failed with ${innerVariant.name}`, {
    ...base,
    variant: innerVariant.name,
    program_logs,
  });
}

/** Custom 1 means "insufficient funds" for the system program (ResultWithNegativeLamports) and the token programs. */
function getInsufficientFundsReason(code: number, program: string | null, logs: Logs): { reason: string; message: string } | null {
  if (code !== 1) return null;
  const lamports = getSystemInsufficientLamports(logs);
  if (program === SYSTEM_PROGRAM_ID || lamports) {
    const detail = lamports ? `: account has ${lamports.has} lamports, needs ${lamports.needs}` : "";
    return { reason: "insufficient_lamports", message: `insufficient funds${detail}` };
  }
  if (isTokenProgram(program) || hasTokenInsufficientFunds(logs)) {
    return { reason: "insufficient_token_balance", message: "insufficient funds: the source token account balance is too low" };
  }
  return null;
}

/** `"Name"`, `{ "Name": payload }` or a numeric discriminant → name and payload. */
function getVariant(err: unknown): { name: string; payload: unknown } {
  if (typeof err === "string") return { name: err, payload: undefined };
  if (typeof err === "number") return { name: NUMERIC_VARIANTS[err] ?? `TransactionError#${err}`, payload: undefined };
  if (err && typeof err === "object") {
    const keys = Object.keys(err);
    if (keys.length === 1 && keys[0] !== undefined) return { name: keys[0], payload: (err as Record<string, unknown>)[keys[0]] };
  }
  return { name: "Unknown", payload: err };
}
