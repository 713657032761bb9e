/**
 * Owner public keys and ed25519 signature checks with Node's native crypto (a KeyObject per key,
 * made once). Inputs are base58 as Solana writes them; anything malformed is simply "not valid".
 */
import { createPublicKey, type KeyObject, verify } from "node:crypto";
import { CourierError } from "@courier/agent";
import bs58 from "bs58";

// SPKI DER prefix of an Ed25519 public key; the 32 raw bytes follow it.
const SPKI_ED25519_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

function decodeBase58(s: string, length: number): Uint8Array | null {
  try {
    const bytes = bs58.decode(s);
    return bytes.length === length ? bytes : null;
  } catch {
    return null;
  }
}

export function isOwnerPublicKey(s: string): boolean {
  return decodeBase58(s, 32) !== null;
}

const keyObjects = new Map<string, KeyObject>();

function getKeyObject(publicKey: string): KeyObject | null {
  const cached = keyObjects.get(publicKey);
  if (cached) return cached;
  const raw = decodeBase58(publicKey, 32);
  if (!raw) return null;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: "der", type: "spki" });
  } catch {
    return null;
  }
  // Bounded: owner keys are few; a flood of unknown signers must not grow it without end.
  if (keyObjects.size >= 1_024) keyObjects.clear();
  keyObjects.set(publicKey, key);
  return key;
}

/** True when `signature` (base58, 64 bytes) is `publicKey`'s ed25519 signature of `message`. */
export function verifyOwnerSignature(publicKey: string, message: Uint8Array, signature: string): boolean {
  const key = getKeyObject(publicKey);
  const sig = decodeBase58(signature, 64);
  if (!key || !sig) return false;
  try {
    return verify(null, message, key, sig);
  } catch {
    return false;
  }
}

/** COURIER_INTENT_KEYS as a set; a key that is not a base58 ed25519 public key is a config error. */
export function parseOwnerKeys(keys: readonly string[]): ReadonlySet<string> {
  for (const k of keys) {
    if (!isOwnerPublicKey(k)) {
      throw new CourierError("COURIER__CONFIG", `COURIER_INTENT_KEYS: ${JSON.stringify(k.slice(0, 64))} is not a base58 public key`, {
        field: "COURIER_INTENT_KEYS",
      });
    }
  }
  return new Set(keys);
}

export function encodeSignature(bytes: Uint8Array): string {
  return bs58.encode(bytes);
}
