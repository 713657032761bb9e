import { LiteSVM } from "litesvm";
import { getTransactionDecoder, getCompiledTransactionMessageDecoder, getTransactionEncoder } from "@solana/kit";
import { Keypair, SystemProgram, Transaction, PublicKey, LAMPORTS_PER_SOL } from "@solana/web3.js";
import bs58 from "bs58";

const svm = new LiteSVM().withBlockhashCheck(false).withTransactionHistory(0n);
const a = Keypair.generate(), b = Keypair.generate();
const r = svm.airdrop(a.publicKey.toBase58() as any, 10n * BigInt(LAMPORTS_PER_SOL));
console.log("airdrop", r?.constructor.name, r && "signature" in r ? bs58.encode((r as any).signature()) : (r as any)?.toString());
const bh = svm.latestBlockhash();
function mk(lamports: number, from = a, blockhash = bh) {
  const tx = new Transaction({ feePayer: from.publicKey, recentBlockhash: blockhash }).add(SystemProgram.transfer({ fromPubkey: from.publicKey, toPubkey: b.publicKey, lamports }));
  tx.sign(from);
  return tx.serialize();
}
const dec = getTransactionDecoder();
const mdec = getCompiledTransactionMessageDecoder();
const bytes = mk(1000);
const t = dec.decode(bytes);
console.log(Object.keys(t), t.signatures);
const m = mdec.decode(t.messageBytes);
console.log(m);
let res: any = svm.sendTransaction(t);
console.log("send1", res.constructor.name, res.toString().slice(0, 300));
res = svm.sendTransaction(t);
console.log("dup", res.constructor.name, res.err?.());
// insufficient
const big = dec.decode(mk(100 * LAMPORTS_PER_SOL));
const before = svm.getBalance(a.publicKey.toBase58() as any);
res = svm.sendTransaction(big);
const e = res.err();
console.log("insuff", res.constructor.name, e, e?.constructor?.name, e?.index, e?.err?.(), e?.err?.()?.constructor?.name, e?.err?.()?.code, res.meta().logs(), res.meta().computeUnitsConsumed());
console.log("fee charged?", before! - svm.getBalance(a.publicKey.toBase58() as any)!);
// unfunded payer
const c = Keypair.generate();
res = svm.sendTransaction(dec.decode(mk(1, c)));
console.log("unfunded", res.constructor.name, res.err(), res.meta().logs());
// old blockhash random
res = svm.sendTransaction(dec.decode(mk(2, a, Keypair.generate().publicKey.toBase58())));
console.log("random bh", res.constructor.name, res.err?.());
// tampered sig
const tb = Buffer.from(mk(3)); tb[5] ^= 1;
try { res = svm.sendTransaction(dec.decode(tb)); console.log("badsig", res.constructor.name, res.err?.()); } catch (err) { console.log("badsig threw", (err as Error).message); }
// simulate
const sim: any = svm.simulateTransaction(dec.decode(mk(4)));
console.log("sim", sim.constructor.name, sim.meta().logs());
// trailing bytes
try { const x = dec.decode(new Uint8Array([...bytes, 1, 2, 3])); console.log("trailing ok", x.messageBytes.length); } catch (err) { console.log("trailing threw", (err as Error).message); }
const [, off] = dec.read(new Uint8Array([...bytes, 1, 2, 3]), 0); console.log("off", off, bytes.length);
// speed
const N = 5000; const txs: Uint8Array[] = [];
for (let i = 0; i < N; i++) txs.push(mk(10 + i));
let t0 = performance.now();
const decoded = txs.map((x) => dec.decode(x));
console.log("decode us", ((performance.now() - t0) * 1000) / N);
t0 = performance.now();
for (const d of decoded) mdec.decode(d.messageBytes);
console.log("mdecode us", ((performance.now() - t0) * 1000) / N);
t0 = performance.now();
for (const d of decoded) svm.sendTransaction(d);
console.log("send us", ((performance.now() - t0) * 1000) / N);
const inner = (svm as any).inner;
const txs2: Uint8Array[] = []; for (let i = 0; i < N; i++) txs2.push(mk(20000 + i));
t0 = performance.now();
for (const d of txs2) inner.sendLegacyTransaction(d);
console.log("raw send us", ((performance.now() - t0) * 1000) / N);
t0 = performance.now();
const pk = a.publicKey.toBytes();
for (let i = 0; i < N; i++) inner.getBalance(pk);
console.log("getBalance us", ((performance.now() - t0) * 1000) / N);
t0 = performance.now();
for (let i = 0; i < 1000; i++) svm.expireBlockhash();
console.log("expire us", ((performance.now() - t0) * 1000) / 1000);
t0 = performance.now();
const snap = svm.toBytes();
console.log("toBytes ms", performance.now() - t0, snap.length);
