import { startLocalnet } from "../src/index.js";
const ln = await startLocalnet({ port: 0, slotMs: 20, websocket: false });
const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getHealth", params: [] });
let t0 = performance.now();
for (let i = 0; i < 300; i++) await (await fetch(ln.url, { method: "POST", body })).json();
console.log("health ms/req", (performance.now() - t0) / 300);
const huge = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getBalance", params: ["x".repeat(200000)] });
t0 = performance.now();
for (let i = 0; i < 30; i++) { const r = await fetch(ln.url, { method: "POST", body: huge }); await r.text(); }
console.log("huge ms/req", (performance.now() - t0) / 30);
const bad = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "sendTransaction", params: ["AAAA", { encoding: "base64" }] });
t0 = performance.now();
for (let i = 0; i < 300; i++) await (await fetch(ln.url, { method: "POST", body: bad })).json();
console.log("bad ms/req", (performance.now() - t0) / 300);
await ln.stop();
