import { Connection, Keypair, LAMPORTS_PER_SOL, SystemProgram, Transaction, sendAndConfirmTransaction } from "@solana/web3.js";
import { startLocalnet } from "../src/index.js";
const ln = await startLocalnet({ port: 0, slotMs: 20 });
const conn = new Connection(ln.url, "confirmed");
const a = Keypair.generate();
ln.airdrop(a.publicKey.toBase58(), 10n ** 10n);
for (let i = 0; i < 4; i++) {
  const t0 = Date.now();
  const tx = new Transaction().add(SystemProgram.transfer({ fromPubkey: a.publicKey, toPubkey: Keypair.generate().publicKey, lamports: LAMPORTS_PER_SOL / 10 }));
  await sendAndConfirmTransaction(conn, tx, [a]);
  console.log("ms", Date.now() - t0, ln.requestCounts());
}
await ln.stop();
process.exit(0);
