/**
 * The pool against the real localnet and its fault injection: failover, breaker, outage probe
 * budget, Retry-After, 5xx, timeouts, batching. Requests are counted at the localnet.
 */
import type { CourierError } from "@courier/agent";
import { startLocalnet } from "@courier/localnet";
import bs58 from "bs58";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getProbeBudget } from "./circuit-breaker.js";
import { createRpcPool, type RpcPoolOptions } from "./create-rpc-pool.js";
import type { RpcPool } from "./types.js";
import { getCourierRejection } from "@courier/testing";

type Localnet = Awaited<ReturnType<typeof startLocalnet>>;
let net: Localnet;
const pools: RpcPool[] = [];

beforeAll(async () => {
  net = await startLocalnet({ port: 0, slotMs: 20, extraPorts: [0], seed: 7 });
});
afterAll(async () => {
  await net?.stop();
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
  await net.setFaults({}, 0);
  await net.setFaults({}, 1);
  await net.resetRequestCounts();
});

function pool(o: Partial<RpcPoolOptions> & { urls: string[] }): RpcPool {
  const p = createRpcPool({ healthIntervalMs: 0, timeoutMs: 2_000, ...o });
  pools.push(p);
  return p;
}

/** The localnet's request count for an endpoint, whatever shape it reports. */
async function requestsAt(index: number): Promise<number> {
  const c: unknown = await net.requestCounts(index);
  if (typeof c === "number") return c;
  if (c && typeof c === "object") {
    const o = c as Record<string, unknown>;
    if (typeof o.total === "number") return o.total;
    return Object.values(o).reduce<number>((s, v) => s + (typeof v === "number" ? v : 0), 0);
  }
  return 0;
}

async function methodRequestsAt(index: number, method: string): Promise<number | null> {
  const c: unknown = await net.requestCounts(index);
  if (!c || typeof c !== "object") return null;
  const o = c as Record<string, unknown>;
  const byMethod = (o.by_method ?? o.byMethod ?? o) as Record<string, unknown>;
  return typeof byMethod[method] === "number" ? byMethod[method] : null;
}


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("rpc pool against the localnet", () => {
  it("fails over to the second endpoint when the first is in outage, and opens the first's circuit", async () => {
    const breaker = { failureThreshold: 2, openMs: 10_000, maxOpenMs: 10_000, halfOpenProbes: 1 };
    const events: Array<{ event?: string; endpoint?: string }> = [];
    const push = (o: object, msg: string) => events.push({ event: msg, ...o });
    const logger = { info: push, warn: push };
    const p = pool({ urls: [net.urls[0] as string, net.urls[1] as string], breaker, logger });
    await net.setFaults({ outage: true }, 0);
    await net.resetRequestCounts();
    const heights: number[] = [];
    for (let i = 0; i < 6; i += 1) heights.push(await p.getBlockHeight());
    expect(heights.every((h) => h >= 0)).toBe(true);
    const [first, second] = p.health();
    expect(first?.circuit).toBe("open");
    expect(first?.healthy).toBe(false);
    expect(first?.down_since).not.toBeNull();
    expect(second?.circuit).toBe("closed");
    // The dead endpoint got only the requests that opened its circuit.
    expect(await requestsAt(0)).toBeLessThanOrEqual(breaker.failureThreshold);
    expect(await requestsAt(1)).toBeGreaterThanOrEqual(6);
    expect(p.allDown()).toBe(false);
    expect(events).toContainEqual(expect.objectContaining({ event: "rpc.circuit_opened", endpoint: net.urls[0] }));
  });

  it("full outage of the only endpoint: ALL_ENDPOINTS_DOWN (infra) within the probe budget, then recovery", async () => {
    const breaker = { failureThreshold: 3, openMs: 200, maxOpenMs: 800, halfOpenProbes: 1 };
    const p = pool({ urls: [net.url], breaker, healthIntervalMs: 100, probeTimeoutMs: 500 });
    await p.getBlockHeight();
    await net.setFaults({ outage: true }, 0);
    await net.resetRequestCounts();
    const windowMs = 3_000;
    const started = Date.now();
    const codes = new Set<string>();
    let lastDown: CourierError | null = null;
    let calls = 0;
    while (Date.now() - started < windowMs) {
      const e = await getCourierRejection(p.getBlockHeight());
      codes.add(e.code);
      calls += 1;
      if (e.code === "COURIER__RPC__ALL_ENDPOINTS_DOWN") lastDown = e;
      await sleep(5);
    }
    const seen = await requestsAt(0);
    expect(lastDown?.outcome).toBe("infra");
    expect(p.allDown() || p.health()[0]?.circuit !== "closed").toBe(true);
    // Many calls, few requests: the breaker keeps the dead endpoint within its probe budget.
    // The window is measured from the first failure, plus one for the health probe in flight.
    expect(calls).toBeGreaterThan(50);
    expect(seen).toBeGreaterThanOrEqual(breaker.failureThreshold);
    expect(seen).toBeLessThanOrEqual(getProbeBudget(breaker, Date.now() - started, 2));
    expect(p.requestCounts().getBlockHeight ?? 0).toBeLessThan(calls);

    await net.setFaults({}, 0);
    let recovered = false;
    for (let i = 0; i < 100 && !recovered; i += 1) {
      recovered = await p.getBlockHeight().then(
        () => true,
        () => false,
      );
      if (!recovered) await sleep(50);
    }
    expect(recovered).toBe(true);
    expect(p.health()[0]?.circuit).toBe("closed");
  });

  it("429 with Retry-After: the endpoint is skipped until then, not hammered; the caller sees backpressure (infra)", async () => {
    const p = pool({ urls: [net.url] });
    await net.setFaults({ rate_429: 1, retry_after_s: 30 }, 0);
    await net.resetRequestCounts();
    const first = await getCourierRejection(p.getBlockHeight());
    expect(first.code).toBe("COURIER__RPC__BACKPRESSURE");
    expect(first.outcome).toBe("infra");
    expect(Number(first.context.retry_after_ms)).toBeGreaterThan(25_000);
    for (let i = 0; i < 20; i += 1) {
      const e = await getCourierRejection(p.getBlockHeight());
      expect(e.code).toBe("COURIER__RPC__BACKPRESSURE");
      expect(Number(e.context.retry_after_ms)).toBeGreaterThan(25_000);
    }
    expect(await requestsAt(0)).toBe(1);
    // A 429 proves the node is up: the circuit stays closed.
    expect(p.health()[0]?.circuit).toBe("closed");
  });

  it("a short Retry-After is waited out inside the call, which then succeeds", async () => {
    const p = pool({ urls: [net.url] });
    await net.setFaults({ rate_429: 1, retry_after_s: 1 }, 0);
    await net.resetRequestCounts();
    const pending = p.getBlockHeight();
    // Lift the limit once the first request was refused: the call's retry after 1 s gets through.
    const deadline = Date.now() + 10_000;
    while ((await requestsAt(0)) < 1 && Date.now() < deadline) await sleep(20);
    await net.setFaults({}, 0);
    expect(await pending).toBeGreaterThanOrEqual(0);
    expect(await requestsAt(0)).toBe(2);
    expect(p.health()[0]?.rate_limit.mode).toBe("auto");
  });

  it("429 on the first endpoint fails over to the second and keeps using it", async () => {
    const p = pool({ urls: [net.urls[0] as string, net.urls[1] as string] });
    await net.setFaults({ rate_429: 1, retry_after_s: 30 }, 0);
    await net.resetRequestCounts();
    for (let i = 0; i < 5; i += 1) expect(await p.getBlockHeight()).toBeGreaterThanOrEqual(0);
    expect(await requestsAt(0)).toBe(1);
    expect(await requestsAt(1)).toBe(5);
  });

  it("5xx or a timeout on every endpoint → ALL_ENDPOINTS_FAILING (infra), the endpoint's failure as last_code", async () => {
    const p = pool({ urls: [net.url], timeoutMs: 300 });
    await net.setFaults({ rate_5xx: 1 }, 0);
    const e5 = await getCourierRejection(p.getBlockHeight());
    expect(e5.code).toBe("COURIER__RPC__ALL_ENDPOINTS_FAILING");
    expect(e5.outcome).toBe("infra");
    expect(e5.context.last_code).toBe("COURIER__RPC__SERVER_ERROR");

    await net.setFaults({ latency_ms: 1_500 }, 0);
    const et = await getCourierRejection(p.getBlockHeight());
    expect(et.code).toBe("COURIER__RPC__ALL_ENDPOINTS_FAILING");
    expect(et.context.last_code).toBe("COURIER__RPC__TIMEOUT");
    expect(et.outcome).toBe("infra");
    expect(p.health()[0]?.last_error).toContain("300 ms");
  });

  it("getSignatureStatuses batches 300 signatures into 2 calls, results in input order", async () => {
    const p = pool({ urls: [net.url] });
    const sigs = Array.from({ length: 300 }, (_, i) => fakeSignature(i));
    await net.resetRequestCounts();
    const statuses = await p.getSignatureStatuses(sigs);
    expect(statuses).toHaveLength(300);
    expect(statuses.every((s) => s === null)).toBe(true);
    expect(p.requestCounts().getSignatureStatuses).toBe(2);
    const atNet = (await methodRequestsAt(0, "getSignatureStatuses")) ?? (await requestsAt(0));
    expect(atNet).toBe(2);
  });

  it("health() probes getHealth + getSlot and shows no secrets", async () => {
    const secret = new URL(net.url);
    secret.searchParams.set("api-key", "supersecret123");
    const p = pool({ urls: [secret.toString()], healthIntervalMs: 50 });
    for (let i = 0; i < 100 && p.health()[0]?.slot === null; i += 1) await sleep(20);
    const [h] = p.health();
    expect(h?.slot).toBeGreaterThanOrEqual(0);
    expect(h?.slot_lag).toBe(0);
    expect(h?.healthy).toBe(true);
    expect(JSON.stringify(p.health())).not.toContain("supersecret123");
    expect(p.requestCounts().getHealth).toBeGreaterThanOrEqual(1);
  });

  it("a lone endpoint whose calls are answered is not probed; once idle for an interval, it is", async () => {
    const p = pool({ urls: [net.url], healthIntervalMs: 300 });
    // The first round probes (nothing answered yet).
    for (let i = 0; i < 100 && (p.requestCounts().getHealth ?? 0) === 0; i += 1) await sleep(20);
    const probesAtStart = p.requestCounts().getHealth ?? 0;
    expect(probesAtStart).toBe(1);
    for (let i = 0; i < 100 && p.health()[0]?.slot === null; i += 1) await sleep(20);
    const slotAtStart = p.health()[0]?.slot ?? 0;
    // Traffic every 100 ms for 1.5 s (five intervals): each answer proves the endpoint up.
    for (let i = 0; i < 15; i += 1) {
      await p.getLatestBlockhash();
      await sleep(100);
    }
    expect(p.requestCounts().getHealth ?? 0).toBe(probesAtStart);
    // The answers' context.slot kept the shown slot current without a probe (20 ms slots).
    expect(p.health()[0]?.slot ?? 0).toBeGreaterThan(slotAtStart + 10);
    // Idle: the next rounds probe again.
    for (let i = 0; i < 100 && (p.requestCounts().getHealth ?? 0) === probesAtStart; i += 1) await sleep(20);
    expect(p.requestCounts().getHealth ?? 0).toBeGreaterThan(probesAtStart);
    expect(p.health()[0]?.healthy).toBe(true);
  });

  it("slotMs(): the cluster's slot time, measured from the answers' slots (20 ms slots)", async () => {
    const p = pool({ urls: [net.url] });
    expect(p.slotMs()).toBeNull();
    await p.getLatestBlockhash();
    expect(p.slotMs()).toBeNull();
    await sleep(400);
    await p.getLatestBlockhash();
    // ~20 ms; the sample's ends are answer arrival times, so a loaded machine blurs it a little.
    expect(p.slotMs()).toBeGreaterThan(5);
    expect(p.slotMs()).toBeLessThan(100);
  });

  it("two endpoints are both probed while answering calls (their slot lag needs a fresh slot from each)", async () => {
    const p = pool({ urls: [net.urls[0] as string, net.urls[1] as string], healthIntervalMs: 200 });
    for (let i = 0; i < 12; i += 1) {
      await p.getBlockHeight();
      await sleep(100);
    }
    expect(p.requestCounts().getHealth ?? 0).toBeGreaterThanOrEqual(4);
  });
});

/** A well-formed signature nobody sent: 64 bytes in base58. */
function fakeSignature(i: number): string {
  const bytes = new Uint8Array(64).fill(7);
  bytes[0] = i & 0xff;
  bytes[1] = (i >> 8) & 0xff;
  return bs58.encode(bytes);
}
