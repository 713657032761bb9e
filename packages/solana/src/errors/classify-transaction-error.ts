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
import { getProgramErrorName } from "./program-error-names.js";

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

export interface ClassifyOptions {
  /** Instructions Courier put before the op's own (nonce advance, compute budget): subtracted from indexes. */
  instructionOffset?: number;
}

export function classifyTransactionError(err: unknown, logs?: Logs, opts: ClassifyOptions = {}): CourierError {
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
      return classifyInstructionError(err, variant.payload, logs, opts.instructionOffset ?? 0);
    default:
      if (BUSY_VARIANTS.has(variant.name)) {
        return new CourierError("COURIER__RPC__CLUSTER_BUSY", `cluster busy: ${variant.name}`, base);
      }
      return new CourierError("COURIER__OP__TRANSACTION_FAILED", `transaction failed: ${variant.name}`, { ...base, variant: variant.name });
  }
}

function classifyInstructionError(err: unknown, payload: unknown, logs: Logs, offset: number): CourierError {
  const [index, inner] = Array.isArray(payload) ? payload : [null, payload];
  const raw = typeof index === "number" ? index : null;
  // The op's own numbering; a negative index is one of Courier's own instructions.
  const instruction = raw === null ? null : raw - offset;
  const where = instruction === null ? "instruction ?" : instruction < 0 ? "Courier's nonce/compute-budget instruction" : `instruction ${instruction}`;
  const innerVariant = getVariant(inner);
  const failing = getFailingProgram(logs) ?? (raw === null ? null : getTopLevelProgram(logs, raw));
  const program_logs = getProgramLogExcerpt(logs);
  const base = { transaction_error: err, instruction, program_id: failing };

  if (innerVariant.name === "Custom") {
    const custom_code = typeof innerVariant.payload === "number" ? innerVariant.payload : Number(innerVariant.payload);
    const insufficient = getInsufficientFundsReason(custom_code, failing, logs);
    const known = getProgramErrorName(failing, custom_code);
    const named = known?.name ? { error_name: known.name } : {};
    if (insufficient) {
      return new CourierError("COURIER__OP__INSUFFICIENT_FUNDS", insufficient.message, {
        ...base,
        ...named,
        reason: insufficient.reason,
        custom_code,
        program_logs,
      });
    }
    const hex = `0x${custom_code.toString(16)}`;
    const what = known?.name
      ? `${known.name} (${known.program} custom error ${custom_code}, ${hex})`
      : `custom code ${custom_code} (${hex})${known ? ` of ${known.program}` : failing ? ` in ${failing}` : ""}`;
    return new CourierError("COURIER__OP__PROGRAM_ERROR", `program error: ${where} failed with ${what}`, { ...base, ...named, custom_code, program_logs });
  }
  if (innerVariant.name === "InsufficientFunds") {
    return new CourierError("COURIER__OP__INSUFFICIENT_FUNDS", `insufficient funds for ${where}`, {
      ...base,
      reason: "insufficient_funds_for_instruction",
      program_logs,
    });
  }
  return new CourierError("COURIER__OP__PROGRAM_ERROR", `program error: ${where} failed with ${innerVariant.name}`, {
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
