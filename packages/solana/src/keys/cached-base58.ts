/**
 * PublicKeys that compute their base58 form once. web3.js's message compiler asks each account
 * key for its base58 string several times per transaction (as a map key, to find its index), and
 * base58-encoding 32 bytes is most of what compiling a small transaction costs. The keys every
 * transaction carries (the signer, the System, Compute Budget and Memo programs) and a transfer's
 * recipient answer from a cache instead. The value is the key's own encoding, so nothing a caller
 * can observe changes: only the work is saved.
 */
import { ComputeBudgetProgram, type PublicKey, SystemProgram } from "@solana/web3.js";

/** Make `key.toBase58()` (and so `toString()` and `toJSON()`) return `base58` without encoding again. */
export function withCachedBase58(key: PublicKey, base58: string = key.toBase58()): PublicKey {
  Object.defineProperty(key, "toBase58", { value: () => base58, configurable: true });
  return key;
}

// web3.js's own program ids are shared constants: cache their encodings once for the process.
withCachedBase58(SystemProgram.programId);
withCachedBase58(ComputeBudgetProgram.programId);
