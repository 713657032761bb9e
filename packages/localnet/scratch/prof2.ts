import { createServer } from "node:http";
const s = createServer((req, res) => { req.resume(); req.on("end", () => { res.writeHead(200, { "content-type": "application/json" }); res.end('{"a":1}'); }); });
await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
const url = `http://127.0.0.1:${(s.address() as any).port}`;
let t0 = performance.now();
for (let i = 0; i < 300; i++) await (await fetch(url, { method: "POST", body: "{}" })).json();
console.log("plain ms/req", (performance.now() - t0) / 300);
s.close(); s.closeAllConnections();
