/**
 * Solana CLI keypair files (a JSON array of 64 bytes). A file others can read is refused: the
 * key moves money. Messages name the path and the fix, never the content.
 */
import { randomBytes } from "node:crypto";
import { chmod, readFile, stat, writeFile } from "node:fs/promises";
import { CourierError, coerceError } from "@courier/agent";
import { createSignerFromSecretKey, type Signer } from "./signer.js";

export async function loadKeypair(path: string): Promise<Signer> {
  let mode: number;
  let text: string;
  try {
    mode = (await stat(path)).mode;
    text = await readFile(path, "utf8");
  } catch (e) {
    const err = coerceError(e);
    throw new CourierError("COURIER__KEY__UNREADABLE", `cannot read keypair file ${path}: ${err.message}`, { path });
  }
  if ((mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(3, "0");
    throw new CourierError(
      "COURIER__KEY__INSECURE_PERMISSIONS",
      `keypair file ${path} is readable by group or others (mode ${octal}); run: chmod 600 ${path}`,
      { path, mode: octal },
    );
  }
  const bytes = parseKeypairJson(text);
  if (!bytes) {
    // Never echo the content: a malformed file may still hold most of a secret.
    throw new CourierError("COURIER__KEY__UNREADABLE", `keypair file ${path} is not a JSON array of 64 bytes`, { path });
  }
  try {
    return createSignerFromSecretKey(bytes);
  } finally {
    bytes.fill(0);
  }
}

/** Write a fresh keypair in the Solana CLI format with mode 0600; returns its signer. */
export async function generateKeypairFile(path: string): Promise<Signer> {
  const seed = randomBytes(32);
  const signer = createSignerFromSecretKey(seed);
  const full = Buffer.concat([seed, signer.publicKey.toBuffer()]);
  await writeFile(path, JSON.stringify([...full]), { mode: 0o600, flag: "wx" });
  // The umask cannot widen 0600, but an existing umask quirk must not leave it wider either.
  await chmod(path, 0o600);
  seed.fill(0);
  full.fill(0);
  return signer;
}

function parseKeypairJson(text: string): Uint8Array | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(v) || v.length !== 64) return null;
  if (!v.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) return null;
  return Uint8Array.from(v as number[]);
}
