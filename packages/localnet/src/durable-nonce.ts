/**
 * Durable-nonce transactions: the "blockhash" is the value stored in a nonce account, and the
 * first instruction advances that account. They are valid while the stored value matches,
 * regardless of the blockhash window. LiteSVM's own check is off (the window is enforced
 * here), so this mirrors the validator's nonce rule.
 */
import { createHash } from "node:crypto";
import { Account } from "litesvm";
import { decodeBase58 } from "./base58.js";
import type { NativeLiteSvm } from "./litesvm-native.js";
import type { WireTransaction } from "./wire-transaction.js";

const ADVANCE_NONCE_ACCOUNT = 4;
const NONCE_ACCOUNT_SIZE = 80;
const NONCE_STATE_INITIALIZED = 1;
/** Offset of the stored nonce: version u32, state u32, authority 32 bytes. */
const NONCE_VALUE_OFFSET = 40;

function isZero(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** True when `tx` is a durable-nonce transaction whose nonce account holds its blockhash. */
export function isDurableNonceValid(native: NativeLiteSvm, tx: WireTransaction): boolean {
  const first = tx.instructions[0];
  if (first === undefined || first.accounts.length === 0) return false;
  const program = tx.accountKeys[first.programIdIndex];
  const d = first.data;
  // The system program id is 32 zero bytes; AdvanceNonceAccount is instruction 4 (u32 LE).
  if (program === undefined || !isZero(program) || d.length < 4 || d[0] !== ADVANCE_NONCE_ACCOUNT || d[1] !== 0 || d[2] !== 0 || d[3] !== 0) return false;
  const nonceKey = tx.accountKeys[first.accounts[0]!];
  if (nonceKey === undefined) return false;
  const account = native.getAccount(nonceKey);
  if (account === null || !isZero(account.owner())) return false;
  const data = account.data();
  if (data.length !== NONCE_ACCOUNT_SIZE || data[4] !== NONCE_STATE_INITIALIZED) return false;
  return equalBytes(data.subarray(NONCE_VALUE_OFFSET, NONCE_VALUE_OFFSET + 32), tx.blockhash);
}

/**
 * The validator advances the nonce of a durable-nonce transaction even when the transaction
 * fails (so it can never be replayed); LiteSVM rolls the advance back with the rest. Redo it.
 */
export function advanceNonceAfterFailure(native: NativeLiteSvm, tx: WireTransaction, lamportsPerSignature: number): void {
  const nonceKey = tx.accountKeys[tx.instructions[0]!.accounts[0]!]!;
  const account = native.getAccount(nonceKey);
  if (account === null) return;
  const data = Buffer.from(account.data());
  const blockhash = decodeBase58(native.latestBlockhash())!;
  // DurableNonce::from_blockhash: sha256("DURABLE_NONCE" || blockhash).
  createHash("sha256").update("DURABLE_NONCE").update(blockhash).digest().copy(data, NONCE_VALUE_OFFSET);
  data.writeBigUInt64LE(BigInt(lamportsPerSignature), NONCE_VALUE_OFFSET + 32);
  native.setAccount(nonceKey, new Account(account.lamports(), data, account.owner(), account.executable(), account.rentEpoch()));
}
