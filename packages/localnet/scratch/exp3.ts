import { getShortU16Decoder } from "@solana/kit";
const d = getShortU16Decoder();
for (const b of [[0x80, 0x00], [0x81, 0x00], [0xff, 0xff, 0x03], [0xff, 0xff, 0x07], [0x80, 0x80, 0x00]]) {
  try { console.log(b, d.read(new Uint8Array(b), 0)); } catch (e) { console.log(b, "threw", (e as Error).message); }
}
import bs58 from "bs58";
const sig = new Uint8Array(64).map(() => Math.random() * 256);
let t0 = performance.now(); for (let i = 0; i < 10000; i++) bs58.encode(sig); console.log("bs58 enc us", (performance.now() - t0) / 10);
const s = bs58.encode(sig);
t0 = performance.now(); for (let i = 0; i < 10000; i++) bs58.decode(s); console.log("bs58 dec us", (performance.now() - t0) / 10);
const buf = Buffer.from(sig);
t0 = performance.now(); for (let i = 0; i < 10000; i++) buf.toString("base64"); console.log("b64 us", (performance.now() - t0) / 10);
