/** getTransaction's result for a landed transaction, in the json, jsonParsed, base64 and base58 encodings. */
import { encodeBase58 } from "./base58.js";
import { getLogs, type LandedTransaction } from "./tx-ledger.js";
import { parseWireTransaction, type WireTransaction } from "./wire-transaction.js";

function isWritable(tx: WireTransaction, i: number): boolean {
  const nSigned = tx.numRequiredSignatures;
  if (i < nSigned) return i < nSigned - tx.numReadonlySignedAccounts;
  return i < tx.accountKeys.length - tx.numReadonlyUnsignedAccounts;
}

function messageJson(tx: WireTransaction, parsed: boolean): Record<string, unknown> {
  const keys = tx.accountKeys.map((k) => encodeBase58(k));
  const message: Record<string, unknown> = {
    accountKeys: parsed
      ? keys.map((pubkey, i) => ({ pubkey, signer: i < tx.numRequiredSignatures, writable: isWritable(tx, i), source: "transaction" }))
      : keys,
    recentBlockhash: encodeBase58(tx.blockhash),
    instructions: tx.instructions.map((ix) =>
      parsed
        ? { programId: keys[ix.programIdIndex], accounts: Array.from(ix.accounts, (a) => keys[a] ?? ""), data: encodeBase58(ix.data), stackHeight: null }
        : { programIdIndex: ix.programIdIndex, accounts: Array.from(ix.accounts), data: encodeBase58(ix.data), stackHeight: null },
    ),
  };
  if (!parsed) {
    message.header = {
      numRequiredSignatures: tx.numRequiredSignatures,
      numReadonlySignedAccounts: tx.numReadonlySignedAccounts,
      numReadonlyUnsignedAccounts: tx.numReadonlyUnsignedAccounts,
    };
  }
  if (tx.version === 0) {
    message.addressTableLookups = tx.addressTableLookups.map((l) => ({
      accountKey: encodeBase58(l.accountKey),
      writableIndexes: Array.from(l.writableIndexes),
      readonlyIndexes: Array.from(l.readonlyIndexes),
    }));
  }
  return message;
}

export function getTransactionJson(landed: LandedTransaction & { wire: Uint8Array }, encoding: string): Record<string, unknown> {
  const tx = parseWireTransaction(landed.wire);
  let transaction: unknown;
  if (encoding === "base64") transaction = [Buffer.from(landed.wire).toString("base64"), "base64"];
  else if (encoding === "base58") transaction = [encodeBase58(landed.wire), "base58"];
  else transaction = { signatures: tx.signatures.map((s) => encodeBase58(s)), message: messageJson(tx, encoding === "jsonParsed") };
  return {
    slot: landed.slot,
    blockTime: landed.blockTime,
    version: tx.version,
    transaction,
    meta: {
      err: landed.err,
      status: landed.err === null ? { Ok: null } : { Err: landed.err },
      fee: landed.fee,
      preBalances: landed.preBalances,
      postBalances: landed.postBalances,
      innerInstructions: [],
      logMessages: getLogs(landed),
      preTokenBalances: [],
      postTokenBalances: [],
      rewards: [],
      loadedAddresses: { writable: [], readonly: [] },
      computeUnitsConsumed: landed.unitsConsumed,
    },
  };
}
