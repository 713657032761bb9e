/**
 * Strict parser for Solana wire transactions, run before any bytes reach LiteSVM.
 *
 * The native binding aborts the whole process on bytes that bincode cannot deserialize, and
 * `@solana/kit`'s decoder is laxer than bincode (it accepts aliased short_vec lengths such as
 * `80 00`) and costs more than LiteSVM's own execution. This mirrors the validator's rules
 * (short_vec encoding, message layout, sanitize) and keeps the offsets the shim needs.
 */
export const PACKET_DATA_SIZE = 1232;

export interface CompiledInstructionView {
  programIdIndex: number;
  accounts: Uint8Array;
  data: Uint8Array;
}

export interface AddressTableLookupView {
  accountKey: Uint8Array;
  writableIndexes: Uint8Array;
  readonlyIndexes: Uint8Array;
}

export interface WireTransaction {
  bytes: Uint8Array;
  version: "legacy" | 0;
  signatures: Uint8Array[];
  messageOffset: number;
  numRequiredSignatures: number;
  numReadonlySignedAccounts: number;
  numReadonlyUnsignedAccounts: number;
  accountKeys: Uint8Array[];
  blockhash: Uint8Array;
  instructions: CompiledInstructionView[];
  addressTableLookups: AddressTableLookupView[];
}

export class WireFormatError extends Error {
  override readonly name = "WireFormatError";
  /** true when the layout is readable but violates the sanitize rules (validator: SanitizeFailure). */
  readonly sanitize: boolean;
  constructor(message: string, sanitize = false) {
    super(message);
    this.sanitize = sanitize;
  }
}

interface Cursor {
  bytes: Uint8Array;
  pos: number;
}

function readShortVecLength(c: Cursor): number {
  let value = 0;
  for (let nth = 0; nth < 3; nth++) {
    if (c.pos >= c.bytes.length) throw new WireFormatError("io error: unexpected end of file");
    const byte = c.bytes[c.pos++]!;
    if (byte === 0 && nth > 0) throw new WireFormatError("short_vec: alias encoding");
    const done = (byte & 0x80) === 0;
    if (nth === 2 && !done) throw new WireFormatError("short_vec: byte three continues");
    value |= (byte & 0x7f) << (nth * 7);
    if (value > 0xffff) throw new WireFormatError("short_vec: overflow");
    if (done) return value;
  }
  throw new WireFormatError("short_vec: too long");
}

function take(c: Cursor, n: number): Uint8Array {
  if (c.pos + n > c.bytes.length) throw new WireFormatError("io error: unexpected end of file");
  const out = c.bytes.subarray(c.pos, c.pos + n);
  c.pos += n;
  return out;
}

function readU8(c: Cursor): number {
  if (c.pos >= c.bytes.length) throw new WireFormatError("io error: unexpected end of file");
  return c.bytes[c.pos++]!;
}

function readFixedList(c: Cursor, size: number): Uint8Array[] {
  const n = readShortVecLength(c);
  const out: Uint8Array[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = take(c, size);
  return out;
}

/** Parse and sanitize; throws WireFormatError. Trailing bytes are ignored, as bincode does. */
export function parseWireTransaction(bytes: Uint8Array): WireTransaction {
  if (bytes.length > PACKET_DATA_SIZE) throw new WireFormatError(`transaction too large: ${bytes.length} bytes (max: ${PACKET_DATA_SIZE})`);
  const c: Cursor = { bytes, pos: 0 };
  const signatures = readFixedList(c, 64);
  const messageOffset = c.pos;
  let version: "legacy" | 0 = "legacy";
  let first = readU8(c);
  if (first & 0x80) {
    const v = first & 0x7f;
    if (v !== 0) throw new WireFormatError(`invalid value: integer \`${v}\`, expected a valid transaction message version`);
    version = 0;
    first = readU8(c);
  }
  const numRequiredSignatures = first;
  const numReadonlySignedAccounts = readU8(c);
  const numReadonlyUnsignedAccounts = readU8(c);
  const accountKeys = readFixedList(c, 32);
  const blockhash = take(c, 32);
  const nInstructions = readShortVecLength(c);
  const instructions: CompiledInstructionView[] = new Array(nInstructions);
  for (let i = 0; i < nInstructions; i++) {
    const programIdIndex = readU8(c);
    const accounts = take(c, readShortVecLength(c));
    const data = take(c, readShortVecLength(c));
    instructions[i] = { programIdIndex, accounts, data };
  }
  const addressTableLookups: AddressTableLookupView[] = [];
  if (version === 0) {
    const nLookups = readShortVecLength(c);
    for (let i = 0; i < nLookups; i++) {
      const accountKey = take(c, 32);
      const writableIndexes = take(c, readShortVecLength(c));
      const readonlyIndexes = take(c, readShortVecLength(c));
      addressTableLookups.push({ accountKey, writableIndexes, readonlyIndexes });
    }
  }
  const tx: WireTransaction = {
    bytes: bytes.subarray(0, c.pos),
    version,
    signatures,
    messageOffset,
    numRequiredSignatures,
    numReadonlySignedAccounts,
    numReadonlyUnsignedAccounts,
    accountKeys,
    blockhash,
    instructions,
    addressTableLookups,
  };
  sanitize(tx);
  return tx;
}

/** The validator's `sanitize()` rules, so LiteSVM never sees a structurally impossible transaction. */
function sanitize(tx: WireTransaction): void {
  const fail = (why: string) => {
    throw new WireFormatError(`Transaction failed to sanitize accounts offsets correctly (${why})`, true);
  };
  const nStatic = tx.accountKeys.length;
  let nLookup = 0;
  for (const l of tx.addressTableLookups) {
    if (l.writableIndexes.length + l.readonlyIndexes.length === 0) fail("empty lookup");
    nLookup += l.writableIndexes.length + l.readonlyIndexes.length;
  }
  const total = nStatic + nLookup;
  if (tx.signatures.length === 0) fail("no signatures");
  if (tx.numRequiredSignatures === 0) fail("no required signatures");
  if (tx.signatures.length !== tx.numRequiredSignatures) fail("signature count mismatch");
  if (tx.numReadonlySignedAccounts >= tx.numRequiredSignatures) fail("readonly signers");
  if (tx.numRequiredSignatures + tx.numReadonlyUnsignedAccounts > nStatic) fail("header exceeds keys");
  if (total > 256) fail("too many accounts");
  for (const ix of tx.instructions) {
    if (ix.programIdIndex === 0 || ix.programIdIndex >= nStatic) fail("program index");
    for (const a of ix.accounts) if (a >= total) fail("account index");
  }
}

/** Offset of the message within the wire bytes (the signed payload). */
export function getMessageBytes(tx: WireTransaction): Uint8Array {
  return tx.bytes.subarray(tx.messageOffset);
}
