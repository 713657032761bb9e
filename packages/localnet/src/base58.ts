/**
 * Base58 (Bitcoin alphabet) for signatures, addresses and blockhashes.
 * `bs58` costs ~45 µs per 64-byte signature, which is most of LiteSVM's own cost per transfer;
 * working in limbs of 58^5 (encode) and 2^16 (decode) keeps it to a few µs.
 */
const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const BASE_58_5 = 656_356_768; // 58^5
const DIGIT_OF = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DIGIT_OF[ALPHABET.charCodeAt(i)] = i;
const ALPHABET_CODES = Array.from(ALPHABET, (c) => c.charCodeAt(0));
const POW58 = [1, 58, 3364, 195_112, 11_316_496, BASE_58_5];

export function encodeBase58(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  // Limbs of 58^5, least significant first; input consumed 16 bits at a time (< 2^53 exact).
  const limbs = new Float64Array(Math.ceil((bytes.length - zeros) * 0.2732) + 2);
  let used = 0;
  let i = zeros;
  if ((bytes.length - zeros) % 2 === 1) {
    limbs[0] = bytes[i++]!;
    used = limbs[0] > 0 ? 1 : 0;
  }
  for (; i < bytes.length; i += 2) {
    let carry = (bytes[i]! << 8) | bytes[i + 1]!;
    for (let j = 0; j < used; j++) {
      const v = limbs[j]! * 65_536 + carry;
      carry = Math.floor(v / BASE_58_5);
      limbs[j] = v - carry * BASE_58_5;
    }
    while (carry > 0) {
      const q = Math.floor(carry / BASE_58_5);
      limbs[used++] = carry - q * BASE_58_5;
      carry = q;
    }
  }
  const codes: number[] = [];
  for (let k = 0; k < zeros; k++) codes.push(49);
  for (let j = used - 1; j >= 0; j--) {
    let limb = limbs[j]!;
    const d4 = limb % 58;
    limb = (limb - d4) / 58;
    const d3 = limb % 58;
    limb = (limb - d3) / 58;
    const d2 = limb % 58;
    limb = (limb - d2) / 58;
    const d1 = limb % 58;
    const d0 = (limb - d1) / 58;
    const digits = [d0, d1, d2, d3, d4];
    let k = 0;
    // The most significant limb carries no leading zero digits.
    if (j === used - 1) while (k < 4 && digits[k] === 0) k++;
    for (; k < 5; k++) codes.push(ALPHABET_CODES[digits[k]!]!);
  }
  return String.fromCharCode.apply(null, codes);
}

/** Decode base58; null when the text holds a character outside the alphabet. */
export function decodeBase58(text: string): Uint8Array | null {
  let zeros = 0;
  while (zeros < text.length && text.charCodeAt(zeros) === 49) zeros++;
  const limbs: number[] = []; // base 2^16, little-endian
  const rest = text.length - zeros;
  let pos = zeros;
  let groupLen = rest % 5 || 5;
  while (pos < text.length) {
    let group = 0;
    for (let k = 0; k < groupLen; k++) {
      const c = text.charCodeAt(pos + k);
      const d = c < 128 ? DIGIT_OF[c]! : -1;
      if (d < 0) return null;
      group = group * 58 + d;
    }
    const mul = POW58[groupLen]!;
    let carry = group;
    for (let j = 0; j < limbs.length; j++) {
      const v = limbs[j]! * mul + carry;
      carry = Math.floor(v / 65_536);
      limbs[j] = v - carry * 65_536;
    }
    while (carry > 0) {
      const q = Math.floor(carry / 65_536);
      limbs.push(carry - q * 65_536);
      carry = q;
    }
    pos += groupLen;
    groupLen = 5;
  }
  const body: number[] = [];
  for (let j = limbs.length - 1; j >= 0; j--) body.push(limbs[j]! >> 8, limbs[j]! & 0xff);
  let skip = 0;
  while (skip < body.length && body[skip] === 0) skip++;
  const out = new Uint8Array(zeros + body.length - skip);
  for (let i = skip; i < body.length; i++) out[zeros + i - skip] = body[i]!;
  return out;
}

/** Decode a base58 value that must be exactly `length` bytes (addresses 32, signatures 64). */
export function decodeBase58Fixed(text: string, length: number): Uint8Array | null {
  // A 32-byte value is at most 44 characters, a 64-byte one at most 88.
  if (text.length === 0 || text.length > Math.ceil(length * 1.37) + 1) return null;
  const bytes = decodeBase58(text);
  return bytes !== null && bytes.length === length ? bytes : null;
}
