/**
 * A signer backed by Node's native ed25519 (FACTS.md: ~15x faster than the library path).
 * The secret lives only inside a KeyObject; the signer prints as its public key alone, so a
 * signer that ends up in a log line or an error context leaks nothing.
 */
import { createPrivateKey, type KeyObject, sign as nodeSign } from "node:crypto";
import { inspect } from "node:util";
import { CourierError } from "@courier/agent";
import { PublicKey } from "@solana/web3.js";
import { withCachedBase58 } from "./cached-base58.js";

export interface Signer {
  readonly publicKey: PublicKey;
  /** Ed25519 signature (64 bytes) of `message`. */
  sign(message: Uint8Array): Uint8Array;
}

// PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows it.
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/** Build a signer from a 64-byte Solana secret key (seed ‖ public key) or a 32-byte seed. */
export function createSignerFromSecretKey(secret: Uint8Array): Signer {
  if (secret.length !== 64 && secret.length !== 32) {
    throw new CourierError("COURIER__KEY__UNREADABLE", `a secret key must be 32 or 64 bytes, got ${secret.length}`);
  }
  const seed = secret.subarray(0, 32);
  const key: KeyObject = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: "der",
    type: "pkcs8",
  });
  // Derive the public key from the seed instead of trusting the file's second half.
  const jwk = key.export({ format: "jwk" }) as { x?: string };
  const publicKey = new PublicKey(Buffer.from(jwk.x ?? "", "base64url"));
  if (secret.length === 64 && !Buffer.from(secret.subarray(32)).equals(publicKey.toBuffer())) {
    throw new CourierError("COURIER__KEY__UNREADABLE", "the keypair's public half does not match its secret half");
  }
  const base58 = publicKey.toBase58();
  withCachedBase58(publicKey, base58);
  const signer = {
    publicKey,
    sign: (message: Uint8Array): Uint8Array => new Uint8Array(nodeSign(null, message, key)),
    toJSON: () => ({ publicKey: base58 }),
    toString: () => `Signer(${base58})`,
    [inspect.custom]: () => `Signer(${base58})`,
  };
  return Object.freeze(signer);
}
