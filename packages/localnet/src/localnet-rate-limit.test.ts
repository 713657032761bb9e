/** Acceptance: the `rate_limit` fault answers like a public endpoint, and /__localnet/stats counts it. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startLocalnet, type Localnet } from "./index.js";

let ln: Localnet;

async function rpc(method: string, params: unknown[] = []): Promise<{ status: number; retryAfter: string | null; body: { error?: { code: number; message: string }; result?: unknown } }> {
  const res = await fetch(ln.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: "1", method, params }),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: (await res.json()) as never };
}

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${ln.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

beforeAll(async () => {
  ln = await startLocalnet({ port: 0, slotMs: 50, seed: 7, websocket: false });
});

afterAll(async () => {
  await ln.stop();
});

beforeEach(() => {
  ln.setFaults({});
  ln.resetRequestCounts();
});

describe("rate_limit fault", () => {
  it("refuses requests over the endpoint limit with 429, Retry-After and a JSON-RPC error body", async () => {
    expect((await post("/__localnet/faults", { rate_limit: { rps: 1, window_s: 60, retry_after_s: 3 } })).status).toBe(200);
    const answers = [];
    for (let i = 0; i < 100; i++) answers.push(await rpc("getSlot"));
    // 1 rps over a 60 s window: 60 requests pass, the rest are refused.
    expect(answers.filter((a) => a.status === 200)).toHaveLength(60);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(40);
    expect(refused[0]?.retryAfter).toBe("3");
    expect(refused[0]?.body.error?.code).toBe(429);
    expect(refused[0]?.body.error?.message).toMatch(/too many requests/i);
    const stats = (await (await fetch(`${ln.url}/__localnet/stats`)).json()) as { requests_by_method: Record<string, number>; responses_429: number };
    expect(stats.requests_by_method.getSlot).toBe(100);
    expect(stats.responses_429).toBeGreaterThanOrEqual(40);
  });

  it("limits one method on its own and computes Retry-After from the window when none is set", async () => {
    ln.setFaults({ rate_limit: { rps: 1000, per_method_rps: { getBalance: 0.05 }, window_s: 60 } });
    // 0.05 rps over 60 s: 3 getBalance per window.
    const balance = [];
    for (let i = 0; i < 5; i++) balance.push(await rpc("getBalance", ["11111111111111111111111111111111"]));
    expect(balance.map((a) => a.status)).toEqual([200, 200, 200, 429, 429]);
    const retryAfter = Number(balance[3]?.retryAfter);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Other methods are not limited by getBalance's budget.
    expect((await rpc("getSlot")).status).toBe(200);
  });

  it("each_method_rps limits every single method; a batch counts one request per entry", async () => {
    ln.setFaults({ rate_limit: { each_method_rps: 0.05, window_s: 60 } });
    const batch = await fetch(ln.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([1, 2, 3, 4].map((id) => ({ jsonrpc: "2.0", id, method: "getSlot", params: [] }))),
    });
    expect(batch.status).toBe(429);
    expect((await rpc("getSlot")).status).toBe(200);
    expect((await rpc("getBlockHeight")).status).toBe(200);
  });

  it("max_concurrent refuses requests beyond the ones being served", async () => {
    ln.setFaults({ latency_ms: 1_500, rate_limit: { max_concurrent: 2 } });
    const answers = await Promise.all(Array.from({ length: 6 }, () => rpc("getSlot")));
    expect(answers.filter((a) => a.status === 200).length).toBe(2);
    expect(answers.filter((a) => a.status === 429).length).toBe(4);
  });

  it("rejects an invalid rate_limit with 400", async () => {
    const res = await post("/__localnet/faults", { rate_limit: { rps: -1 } });
    expect(res.status).toBe(400);
    const unknown = await post("/__localnet/faults", { rate_limit: { bogus: 1 } });
    expect(unknown.status).toBe(400);
  });
});

describe("devnet profile", () => {
  it("applies 400 ms slots, public limits, latency with jitter and rare drops to every endpoint", async () => {
    const dev = await startLocalnet({ port: 0, extraPorts: [0], profile: "devnet", websocket: false });
    try {
      for (const i of [0, 1]) {
        const f = dev.getFaults(i);
        expect(f.rate_limit).toEqual({ rps: 10, each_method_rps: 4, window_s: 10, max_concurrent: 40 });
        expect(f.latency_jitter_ms).toBeGreaterThan(0);
        expect(f.drop_response_rate).toBeGreaterThan(0);
      }
      const codes: number[] = [];
      for (let i = 0; i < 45; i++) {
        const res = await fetch(dev.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getSlot", params: [] }),
        }).catch(() => null);
        if (res) codes.push(res.status);
      }
      // 40 per 10 s for a single method: the rest are refused (a dropped answer may hide one).
      expect(codes.filter((c) => c === 200).length).toBeLessThanOrEqual(40);
      expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(4);
      expect(dev.responses429()).toBeGreaterThanOrEqual(4);
    } finally {
      await dev.stop();
    }
  });
});
