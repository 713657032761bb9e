/** Decoding the base64/base58 transaction strings of sendTransaction and simulateTransaction. */
import { decodeBase58 } from "./base58.js";
import { invalidParams } from "./rpc-error.js";
import { PACKET_DATA_SIZE, parseWireTransaction, WireFormatError, type WireTransaction } from "./wire-transaction.js";

const TX_TYPE = "solana_transaction::versioned::VersionedTransaction";
const MAX_BASE58 = 1683;
const MAX_BASE64 = 1644;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function decodeWireString(text: unknown, encoding: unknown): WireTransaction {
  if (typeof text !== "string") throw invalidParams("Invalid params: invalid type: expected a string transaction.");
  let bytes: Uint8Array | null;
  if (encoding === "base64") {
    if (text.length > MAX_BASE64) {
      throw invalidParams(`base64 encoded ${TX_TYPE} too large: ${text.length} bytes (max: encoded/raw ${MAX_BASE64}/${PACKET_DATA_SIZE})`);
    }
    if (!BASE64_RE.test(text)) throw invalidParams("invalid base64 encoding: InvalidByte");
    bytes = Buffer.from(text, "base64");
  } else if (encoding === "base58" || encoding === undefined || encoding === null) {
    if (text.length > MAX_BASE58) {
      throw invalidParams(`base58 encoded ${TX_TYPE} too large: ${text.length} bytes (max: encoded/raw ${MAX_BASE58}/${PACKET_DATA_SIZE})`);
    }
    bytes = decodeBase58(text);
    if (bytes === null) throw invalidParams("invalid base58 encoding: InvalidCharacter");
  } else {
    throw invalidParams(`Invalid params: unsupported encoding: ${String(encoding).slice(0, 40)}. Supported encodings: base58, base64`);
  }
  try {
    return parseWireTransaction(bytes);
  } catch (e) {
    if (e instanceof WireFormatError) {
      throw invalidParams(e.sanitize ? `invalid transaction: ${e.message}` : `failed to deserialize ${TX_TYPE}: ${e.message}`);
    }
    throw e;
  }
}
