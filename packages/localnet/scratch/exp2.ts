import { LiteSVM } from "litesvm";
import { Keypair, SystemProgram, Transaction } from "@solana/web3.js";
const svm = new LiteSVM().withBlockhashCheck(false).withTransactionHistory(0n);
const inner = (svm as any).inner;
const a = Keypair.generate(), b = Keypair.generate();
svm.airdrop(a.publicKey.toBase58() as any, 10n ** 10n);
const tx = new Transaction({ feePayer: a.publicKey, recentBlockhash: svm.latestBlockhash() }).add(SystemProgram.transfer({ fromPubkey: a.publicKey, toPubkey: b.publicKey, lamports: 5e6 }));
tx.sign(a);
const bytes = tx.serialize();
const mode = process.argv[2];
let input: Uint8Array;
if (mode === "trunc") input = bytes.subarray(0, bytes.length - 5);
else if (mode === "trail") input = new Uint8Array([...bytes, 7, 7]);
else if (mode === "rand") input = new Uint8Array(200).map(() => Math.random() * 256);
else if (mode === "badidx") { input = new Uint8Array(bytes); input[input.length - 15] = 9; }
else input = new Uint8Array(0);
try { const r = inner.sendLegacyTransaction(input); console.log(mode, "result", r.constructor.name, r.err?.()); } catch (e) { console.log(mode, "threw", (e as Error).message); }
