/**
 * Build a v0 transaction and sign it with the native signer. The message is serialized once,
 * signed once, and the wire bytes are produced without the library re-verifying signatures
 * (FACTS.md: that re-verification dominated the cost of the legacy path).
 */

import { CourierError } from "@courier/agent";
import { type TransactionInstruction, TransactionMessage } from "@solana/web3.js";
import bs58 from "bs58";
import type { Signer } from "../keys/signer.js";

export interface SignedTransaction {
  signature: string;
  wire: Uint8Array;
  blockhash: string;
}

/** The wire size limit of a Solana transaction. */
export const MAX_TRANSACTION_BYTES = 1232;

export function signTransaction(args: {
  payer: Signer;
  instructions: TransactionInstruction[];
  blockhash: string;
  /** Extra signers (besides the payer) the instructions require. */
  signers?: Signer[];
}): SignedTransaction {
  const message = new TransactionMessage({
    payerKey: args.payer.publicKey,
    recentBlockhash: args.blockhash,
    instructions: args.instructions,
  }).compileToV0Message();
  const bytes = message.serialize();
  const all = [args.payer, ...(args.signers ?? [])];
  const count = message.header.numRequiredSignatures;
  const required = message.staticAccountKeys.slice(0, count);
  // Wire format: compact-u16 signature count, the signatures, the message. Assembled by hand
  // so the message is serialized exactly once.
  const wire = new Uint8Array(1 + 64 * count + bytes.length);
  wire[0] = count; // < 128 signatures, so the compact-u16 is one byte
  required.forEach((key, i) => {
    const s = all.find((x) => x.publicKey.equals(key));
    if (!s) {
      throw new CourierError("COURIER__VALIDATION", `the transaction needs a signature from ${key.toBase58()}, which Courier does not hold`, {
        account: key.toBase58(),
      });
    }
    wire.set(s.sign(bytes), 1 + 64 * i);
  });
  wire.set(bytes, 1 + 64 * count);
  if (wire.length > MAX_TRANSACTION_BYTES) {
    throw new CourierError("COURIER__VALIDATION", `the transaction is ${wire.length} bytes, over the ${MAX_TRANSACTION_BYTES}-byte limit`, {
      bytes: wire.length,
    });
  }
  return { signature: bs58.encode(wire.subarray(1, 65)), wire, blockhash: args.blockhash };
}
