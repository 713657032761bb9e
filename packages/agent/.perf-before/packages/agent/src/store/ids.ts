import { randomBytes } from "node:crypto";

// Crockford base32: sorts the same as a string as the numbers it encodes.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A time-sortable op id: `op_` + 10 base32 chars of the epoch ms (48 bits) + 16 chars of
 * randomness (80 bits), like a ULID. Ids made in different milliseconds sort by time.
 */
export function newOpId(now: number): string {
  return `op_${encodeTime(now)}${encodeRandom()}`;
}

function encodeTime(now: number): string {
  let t = Math.max(0, Math.floor(now));
  let out = "";
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
}

function encodeRandom(): string {
  const bytes = randomBytes(16);
  let out = "";
  for (let i = 0; i < 16; i++) out += ALPHABET[(bytes[i] as number) % 32];
  return out;
}
