import bs58 from "bs58";
import { encodeBase58, decodeBase58 } from "../src/base58.js";
import { randomBytes } from "node:crypto";
const sigs = Array.from({ length: 2000 }, () => randomBytes(64));
for (let k = 0; k < 3; k++) {
let t0 = performance.now(); for (const s of sigs) encodeBase58(s); console.log("mine us", (performance.now() - t0) * 1000 / sigs.length);
t0 = performance.now(); for (const s of sigs) bs58.encode(s); console.log("bs58 us", (performance.now() - t0) * 1000 / sigs.length);
const enc = sigs.map((s) => bs58.encode(s));
t0 = performance.now(); for (const s of enc) decodeBase58(s); console.log("mine dec us", (performance.now() - t0) * 1000 / sigs.length);
}
