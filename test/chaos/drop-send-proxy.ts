/**
 * A JSON-RPC proxy in front of the localnet that plays a leader who never includes a
 * transaction: while `dropping` is on, every sendTransaction of a new signature is answered
 * with its signature (accepted) and thrown away; a signature dropped once is dropped forever.
 * Everything else is forwarded. The localnet's own `drop_response_rate` cannot do this: it
 * executes the transaction and only loses the answer.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface DropSendProxy {
  url: string;
  /** New signatures are dropped while true. */
  dropping: boolean;
  /** Signatures dropped so far, with how many sends each got. */
  dropped: Map<string, number>;
  /** Requests seen, by JSON-RPC method. */
  methods: Map<string, number>;
  close(): Promise<void>;
}

interface RpcRequest {
  jsonrpc?: string;
  id?: unknown;
  method?: string;
  params?: unknown[];
}

export async function startDropSendProxy(target: string): Promise<DropSendProxy> {
  const proxy: DropSendProxy = { url: "", dropping: true, dropped: new Map(), methods: new Map(), close: async () => {} };

  /** The synthesized answer when this request is a send to drop, else null. */
  function dropAnswer(req: RpcRequest): unknown | null {
    const method = String(req.method);
    proxy.methods.set(method, (proxy.methods.get(method) ?? 0) + 1);
    if (req.method !== "sendTransaction" || !Array.isArray(req.params) || typeof req.params[0] !== "string") return null;
    const cfg = (req.params[1] ?? {}) as { encoding?: string };
    const wire = cfg.encoding === "base64" ? Buffer.from(req.params[0], "base64") : decodeBase58(req.params[0]);
    // wire: compact-u16 signature count (1 byte for < 128), then the 64-byte signatures.
    const signature = encodeBase58(wire.subarray(1, 65));
    const seen = proxy.dropped.get(signature);
    if (seen === undefined && !proxy.dropping) return null;
    proxy.dropped.set(signature, (seen ?? 0) + 1);
    return { jsonrpc: "2.0", id: req.id, result: signature };
  }

  async function forward(body: string): Promise<{ status: number; text: string }> {
    const r = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body, signal: AbortSignal.timeout(10_000) });
    return { status: r.status, text: await r.text() };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = null;
    }
    const reply = (status: number, text: string) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(text);
    };
    if (Array.isArray(parsed)) {
      const answers = new Map<number, unknown>();
      const rest: Array<{ i: number; r: RpcRequest }> = [];
      parsed.forEach((r: RpcRequest, i) => {
        const a = dropAnswer(r);
        if (a === null) rest.push({ i, r });
        else answers.set(i, a);
      });
      if (rest.length > 0) {
        const f = await forward(JSON.stringify(rest.map((x) => x.r)));
        if (f.status !== 200) return reply(f.status, f.text);
        const results = JSON.parse(f.text) as unknown[];
        for (const [k, x] of rest.entries()) answers.set(x.i, results[k]);
      }
      return reply(200, JSON.stringify(parsed.map((_, i) => answers.get(i))));
    }
    const a = parsed && typeof parsed === "object" ? dropAnswer(parsed as RpcRequest) : null;
    if (a !== null) return reply(200, JSON.stringify(a));
    const f = await forward(raw);
    reply(f.status, f.text);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32000, message: `proxy: ${String(e)}` } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

export function encodeBase58(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = n * 256n + BigInt(b);
  let out = "";
  while (n > 0n) {
    out = ALPHABET[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}

export function decodeBase58(s: string): Buffer {
  let n = 0n;
  for (const ch of s) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new Error("invalid base58");
    n = n * 58n + BigInt(v);
  }
  const bytes: number[] = [];
  while (n > 0n) {
    bytes.unshift(Number(n % 256n));
    n /= 256n;
  }
  for (const ch of s) {
    if (ch !== "1") break;
    bytes.unshift(0);
  }
  return Buffer.from(bytes);
}
