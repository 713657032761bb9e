/**
 * RPC URLs with credentials against a localnet that requires them: `user:pass@` becomes an
 * `Authorization: Basic` header (never sent in the URL), a key in the path or query is
 * sent as given, and nothing an operator sees (health, errors) shows a credential.
 */
import { coerceError } from "@courier/agent";
import { startLocalnet } from "@courier/localnet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRpcPool } from "./create-rpc-pool.js";
import type { RpcPool } from "./types.js";

type Localnet = Awaited<ReturnType<typeof startLocalnet>>;
let basic: Localnet;
let keyed: Localnet;
const PASS = "s3cretPass9";
const KEY = "TOKEN789";

beforeAll(async () => {
  basic = await startLocalnet({ port: 0, slotMs: 20, websocket: false, auth: `alice:${PASS}` });
  keyed = await startLocalnet({ port: 0, slotMs: 20, websocket: false, apiKey: KEY });
});
afterAll(async () => {
  await basic?.stop();
  await keyed?.stop();
});

async function withPool<T>(url: string, fn: (p: RpcPool) => Promise<T>): Promise<T> {
  const pool = createRpcPool({ urls: [url], healthIntervalMs: 0, timeoutMs: 5_000 });
  try {
    return await fn(pool);
  } finally {
    await pool.close();
  }
}

function withUserinfo(url: string, userinfo: string): string {
  return url.replace("http://", `http://${userinfo}@`);
}

describe("RPC URLs with credentials, against a localnet that requires them", () => {
  it("user:pass@ in the URL is sent as Authorization: Basic and works", async () => {
    const height = await withPool(withUserinfo(basic.url, `alice:${PASS}`), (p) => p.getBlockHeight());
    expect(height).toBeGreaterThanOrEqual(0);
    expect(basic.requestCounts().getBlockHeight).toBeGreaterThan(0);
  });

  it("wrong or missing credentials are refused by the endpoint, and no error shows them", async () => {
    for (const url of [withUserinfo(basic.url, "alice:wrong-pass-42"), basic.url]) {
      const err = await withPool(url, (p) => p.getBlockHeight()).then(
        () => null,
        (e: unknown) => coerceError(e),
      );
      expect(err).not.toBeNull();
      const text = JSON.stringify({ message: err?.message, context: err?.context });
      expect(text).not.toContain("wrong-pass-42");
      expect(text).not.toContain("alice");
    }
  });

  it("an API key in the path or the query works; health shows the host, never the key", async () => {
    const path = `${keyed.url}/${KEY}`;
    const query = `${keyed.url}/?api-key=${KEY}`;
    for (const url of [path, query]) {
      await withPool(url, async (p) => {
        expect(await p.getBlockHeight()).toBeGreaterThanOrEqual(0);
        const [health] = p.health();
        expect(health?.endpoint).toContain(new URL(keyed.url).host);
        expect(JSON.stringify(p.health())).not.toContain(KEY);
      });
    }
    const refused = await withPool(`${keyed.url}/OTHER123`, (p) => p.getBlockHeight()).then(
      () => null,
      (e: unknown) => coerceError(e),
    );
    expect(refused?.message).not.toContain("OTHER123");
  });
});
