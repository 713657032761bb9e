/**
 * What users write today: a `@solana/web3.js` `Connection`, and per op one `sendTransaction`
 * request (legacy Transaction, signed by the library) followed by `confirmTransaction` with the
 * blockhash strategy (websocket subscription + block height), `concurrency` ops at once.
 */
import pLimit from "p-limit";
import { web3 } from "./web3.js";

export async function runNaiveWeb3Crank(opts: {
  url: string;
  airdrop(pubkey: string, lamports: number): Promise<void>;
  count: number;
  concurrency: number;
}): Promise<{ opsPerSec: number; confirmed: number; ms: number }> {
  const { Connection, Keypair, SystemProgram, Transaction } = web3;
  const payer = Keypair.generate();
  await opts.airdrop(payer.publicKey.toBase58(), 1_000 * 1_000_000_000);
  // web3.js keeps background requests (status checks of confirmTransaction) after a confirmation
  // resolves; once the run is over, one that fails because the localnet stopped is not an error.
  let over = false;
  const fetchUntilOver: typeof fetch = (input, init) =>
    fetch(input, init).catch((e: unknown) => {
      if (over) return new Promise<Response>(() => {});
      throw e;
    });
  const connection = new Connection(opts.url, { commitment: "confirmed", disableRetryOnRateLimit: true, fetch: fetchUntilOver });
  let confirmed = 0;
  const started = performance.now();
  // what users reach for to bound concurrency
  const limit = pLimit(opts.concurrency);
  const sendOne = async (i: number) => {
    const { blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash();
    const tx = new Transaction({ feePayer: payer.publicKey, blockhash, lastValidBlockHeight }).add(
      SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: Keypair.generate().publicKey, lamports: 1_000_000 + i }),
    );
    // Signed here with the blockhash just fetched: web3.js's own sendTransaction(tx, signers)
    // would swap in its 30 s blockhash cache, stale at short slots (packages/localnet/README.md).
    tx.sign(payer);
    const signature = await connection.sendRawTransaction(tx.serialize(), { skipPreflight: false });
    const r = await connection.confirmTransaction({ signature, blockhash, lastValidBlockHeight }, "confirmed");
    if (!r.value.err) confirmed++;
  };
  await Promise.all(Array.from({ length: opts.count }, (_, i) => limit(() => sendOne(i))));
  const ms = performance.now() - started;
  over = true;
  return { opsPerSec: (confirmed / ms) * 1_000, confirmed, ms };
}
