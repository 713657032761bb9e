/** startLocalnet: one bank, its block clock, and one or more HTTP (+ WebSocket) endpoints. */
import { randomInt } from "node:crypto";
import { decodeBase58Fixed } from "./base58.js";
import { createBank, type Bank } from "./bank.js";
import { assertEndpointAuth, type EndpointAuth } from "./endpoint-auth.js";
import { startHttpEndpoint, type HttpEndpoint } from "./http-endpoint.js";
import { accountMethods } from "./rpc-methods-accounts.js";
import { clusterMethods } from "./rpc-methods-cluster.js";
import { transactionMethods } from "./rpc-methods-transactions.js";
import type { RpcMethodTable } from "./rpc-method.js";
import { LOCALNET_PROFILES } from "./profiles.js";
import { loadState, saveState } from "./state-file.js";
import type { FaultSettings, Localnet, LocalnetOptions } from "./types.js";
import { startWsEndpoint, type WsEndpoint } from "./ws-endpoint.js";

const DEFAULTS = {
  host: "127.0.0.1",
  port: 8899,
  slotMs: 400,
  confirmAfterSlots: 1,
  finalizeAfterSlots: 32,
  websocket: true,
  maxBodyBytes: 51_200,
} satisfies Partial<LocalnetOptions>;

const STATE_SAVE_MS = 1000;
const FREE_PAIR_ATTEMPTS = 20;

interface EndpointPair {
  http: HttpEndpoint;
  ws: WsEndpoint | null;
}

function assertOptions(o: LocalnetOptions): void {
  const int = (v: unknown, name: string, min: number, max: number) => {
    if (v !== undefined && (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max)) {
      throw new Error(`startLocalnet: ${name} must be an integer in [${min}, ${max}], got ${String(v)}`);
    }
  };
  int(o.port, "port", 0, 65_534);
  for (const p of o.extraPorts ?? []) int(p, "extraPorts[]", 0, 65_534);
  int(o.slotMs, "slotMs", 1, 60_000);
  int(o.confirmAfterSlots, "confirmAfterSlots", 0, 1000);
  int(o.finalizeAfterSlots, "finalizeAfterSlots", 0, 1000);
  int(o.maxBodyBytes, "maxBodyBytes", 1024, 1 << 30);
  int(o.historyLimit, "historyLimit", 1, 1e8);
  if ((o.confirmAfterSlots ?? 1) > (o.finalizeAfterSlots ?? 32)) throw new Error("startLocalnet: confirmAfterSlots must not exceed finalizeAfterSlots");
  assertEndpointAuth({ basic: o.auth, apiKey: o.apiKey });
}

async function startPair(port: number, o: Required<Pick<LocalnetOptions, "host" | "maxBodyBytes" | "websocket">> & { bank: Bank; methods: RpcMethodTable; seed: number; auth?: EndpointAuth; logger: LocalnetOptions["logger"] }): Promise<EndpointPair> {
  const attempts = port === 0 && o.websocket ? FREE_PAIR_ATTEMPTS : 1;
  for (let i = 0; ; i++) {
    const http = await startHttpEndpoint({ host: o.host, port, bank: o.bank, methods: o.methods, seed: o.seed, maxBodyBytes: o.maxBodyBytes, ...(o.auth ? { auth: o.auth } : {}), logger: o.logger });
    if (!o.websocket) return { http, ws: null };
    try {
      // web3.js derives the websocket URL as port+1, so the pair must be adjacent.
      return { http, ws: await startWsEndpoint({ host: o.host, port: http.port + 1, bank: o.bank }) };
    } catch (e) {
      await http.close();
      if (i + 1 >= attempts) throw e;
    }
  }
}

export async function startLocalnet(options: LocalnetOptions = {}): Promise<Localnet> {
  assertOptions(options);
  // Explicit `undefined` (e.g. from a CLI flag that was not given) means "use the default".
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as LocalnetOptions;
  const profile = options.profile ? LOCALNET_PROFILES[options.profile] : null;
  // A profile sets the slot time unless one is given explicitly.
  const o = { ...DEFAULTS, ...(profile ? { slotMs: profile.slotMs } : {}), ...given };
  const logger = options.logger;
  const snapshot = o.statePath ? loadState(o.statePath) : undefined;
  const baseSeed = o.seed ?? randomInt(2 ** 31);
  const bank = createBank({
    confirmAfterSlots: o.confirmAfterSlots,
    finalizeAfterSlots: o.finalizeAfterSlots,
    historyLimit: o.historyLimit,
    genesisSkips: 1 + (baseSeed % 997),
    snapshot,
  });
  const methods: RpcMethodTable = { ...clusterMethods, ...accountMethods, ...transactionMethods };

  const auth: EndpointAuth | null = o.auth || o.apiKey ? { ...(o.auth ? { basic: o.auth } : {}), ...(o.apiKey ? { apiKey: o.apiKey } : {}) } : null;
  const pairs: EndpointPair[] = [];
  try {
    for (const [i, port] of [o.port, ...(o.extraPorts ?? [])].entries()) {
      pairs.push(await startPair(port, { host: o.host, maxBodyBytes: o.maxBodyBytes, websocket: o.websocket, bank, methods, seed: baseSeed + i, ...(auth ? { auth } : {}), logger }));
    }
  } catch (e) {
    await Promise.all(pairs.map((p) => Promise.all([p.http.close(), p.ws?.close()])));
    throw e;
  }
  if (profile) for (const p of pairs) p.http.faults.set(profile.faults);

  let savedVersion = -1;
  let savedSlot = -1;
  function persist(): void {
    if (!o.statePath || (bank.ledger.version === savedVersion && bank.clock.slot === savedSlot)) return;
    try {
      saveState(o.statePath, bank);
      savedVersion = bank.ledger.version;
      savedSlot = bank.clock.slot;
    } catch (e) {
      logger?.warn({ path: o.statePath, error: String(e) }, "localnet.state_save_failed");
    }
  }

  const slotTimer = setInterval(() => bank.tick(), o.slotMs);
  const saveTimer = o.statePath ? setInterval(persist, Math.max(STATE_SAVE_MS, o.slotMs)) : null;
  const url = (p: EndpointPair) => `http://${o.host}:${p.http.port}`;
  const endpoint = (i = 0): EndpointPair => {
    const p = pairs[i];
    if (p === undefined) throw new RangeError(`no localnet endpoint ${i} (have ${pairs.length})`);
    return p;
  };
  const pubkey = (s: string): Uint8Array => {
    const b = decodeBase58Fixed(s, 32);
    if (b === null) throw new TypeError(`invalid base58 public key: ${s}`);
    return b;
  };
  let stopping: Promise<void> | null = null;

  logger?.info({ urls: pairs.map(url), slot_ms: o.slotMs, profile: options.profile ?? null, state: o.statePath ?? null }, "localnet.started");
  return {
    url: url(pairs[0]!),
    urls: pairs.map(url),
    wsUrl: pairs[0]!.ws ? `ws://${o.host}:${pairs[0]!.ws.port}` : null,
    setFaults: (f: FaultSettings, i?: number) => endpoint(i).http.faults.set(f),
    getFaults: (i?: number) => endpoint(i).http.faults.get(),
    requestCounts: (i?: number) => Object.fromEntries(endpoint(i).http.counts),
    responses429: (i?: number) => endpoint(i).http.responses429(),
    resetRequestCounts: () => {
      for (const p of pairs) p.http.counts.clear();
    },
    blockHeight: () => bank.clock.height,
    slot: () => bank.clock.slot,
    airdrop: (s, lamports) => void bank.airdrop(pubkey(s), BigInt(lamports)),
    getBalance: (s) => bank.balanceOf(pubkey(s)),
    transactionCount: () => bank.ledger.sentCount,
    hasTransaction: (sig) => bank.ledger.get(sig)?.sent === true,
    landedAt: (sig) => {
      const t = bank.ledger.get(sig);
      return t?.sent ? t.landedAtMs : undefined;
    },
    stop() {
      stopping ??= (async () => {
        clearInterval(slotTimer);
        if (saveTimer) clearInterval(saveTimer);
        await Promise.all(pairs.map((p) => Promise.all([p.http.close(), p.ws?.close()])));
        persist();
        logger?.info({}, "localnet.stopped");
      })();
      return stopping;
    },
  };
}
