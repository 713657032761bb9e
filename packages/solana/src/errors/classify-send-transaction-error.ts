/**
 * web3.js v1 `SendTransactionError` drops the JSON-RPC code and the `err` JSON: only a message
 * ("Simulation failed. \nMessage: Transaction simulation failed: Error processing Instruction 0:
 * custom program error: 0x1. \nLogs: …") and the logs remain. This maps those messages back to
 * the same codes `classifyTransactionError` gives the JSON shapes, so user actions that send
 * through a web3.js `Connection` are classified like the pool's own sends.
 */
import { CourierError } from "@courier/agent";
import { classifyTransactionError } from "./classify-transaction-error.js";

export interface SendTransactionErrorLike {
  message: string;
  logs?: string[] | null;
  transactionError?: { message?: string; logs?: string[] | null };
}

export function isSendTransactionErrorLike(e: unknown): e is SendTransactionErrorLike {
  return e instanceof Error && (e.name === "SendTransactionError" || e.constructor?.name === "SendTransactionError");
}

/** Rust `Display` texts of TransactionError variants, as the node puts them in the message. */
const MESSAGE_VARIANTS: Array<[RegExp, unknown]> = [
  [/blockhash not found/i, "BlockhashNotFound"],
  [/already been processed/i, "AlreadyProcessed"],
  [/attempt to debit an account but found no record of a prior credit/i, "AccountNotFound"],
  [/insufficient funds for fee/i, "InsufficientFundsForFee"],
  [/account in use/i, "AccountInUse"],
];

export function classifySendTransactionError(e: unknown): CourierError {
  const message = e instanceof Error ? e.message : String(e);
  const logs = getLogs(e);
  const inner = (e as SendTransactionErrorLike).transactionError?.message ?? message;
  const err = getTransactionErrorFromMessage(inner);
  const classified = classifyTransactionError(err, logs);
  return new CourierError(classified.code, classified.message, { ...classified.context, send_error: inner.slice(0, 300) }, { cause: e });
}

/**
 * Best-effort reconstruction of the `err` JSON from a message; unknown messages become a
 * `{ Unparsed: message }` variant (→ TRANSACTION_FAILED, permanent).
 */
export function getTransactionErrorFromMessage(message: string): unknown {
  const instr = /Error processing Instruction (\d+): (.*?)(?:\.\s*$|\.\s*\n|$)/m.exec(message);
  if (instr) {
    const index = Number(instr[1]);
    const detail = instr[2] ?? "";
    const custom = /custom program error: 0x([0-9a-f]+)/i.exec(detail);
    if (custom) return { InstructionError: [index, { Custom: Number.parseInt(custom[1] ?? "0", 16) }] };
    if (/insufficient funds/i.test(detail)) return { InstructionError: [index, "InsufficientFunds"] };
    return { InstructionError: [index, detail.trim() || "Unknown"] };
  }
  const rent = /account \((\d+)\) with insufficient funds for rent/i.exec(message);
  if (rent) return { InsufficientFundsForRent: { account_index: Number(rent[1]) } };
  for (const [re, variant] of MESSAGE_VARIANTS) if (re.test(message)) return variant;
  return { Unparsed: message.slice(0, 200) };
}

function getLogs(e: unknown): string[] | null {
  const x = e as SendTransactionErrorLike;
  const logs = x.transactionError?.logs ?? x.logs;
  return Array.isArray(logs) ? logs : null;
}
