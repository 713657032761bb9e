/**
 * WebSocket subscriptions on port+1, as web3.js v1 expects: signatureSubscribe (used by
 * confirmTransaction) and slotSubscribe. Checked once per slot, which is when statuses change.
 */
import { WebSocketServer, type WebSocket } from "ws";
import type { Bank } from "./bank.js";
import type { Commitment } from "./block-clock.js";
import { getSignatureStatus, meetsCommitment } from "./tx-ledger.js";

type Subscription = { kind: "signature"; signature: string; commitment: Commitment } | { kind: "slot" };

export interface WsEndpoint {
  readonly port: number;
  close(): Promise<void>;
}

const COMMITMENTS: Record<string, Commitment> = { processed: "processed", confirmed: "confirmed", finalized: "finalized", recent: "processed", single: "confirmed", max: "finalized" };

export function startWsEndpoint(opts: { host: string; port: number; bank: Bank }): Promise<WsEndpoint> {
  const { bank } = opts;
  const sockets = new Map<WebSocket, Map<number, Subscription>>();
  let nextId = 1;

  function notify(ws: WebSocket, method: string, subscription: number, result: unknown): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ jsonrpc: "2.0", method, params: { result, subscription } }));
  }

  /** Returns true when the subscription fired (signature subscriptions end after one notification). */
  function checkSignature(ws: WebSocket, id: number, sub: Subscription & { kind: "signature" }): boolean {
    const landed = bank.ledger.get(sub.signature);
    if (landed === undefined) return false;
    if (!meetsCommitment(getSignatureStatus(landed, bank.clock.height, bank), sub.commitment)) return false;
    notify(ws, "signatureNotification", id, { context: { slot: bank.clock.slot }, value: { err: landed.err } });
    return true;
  }

  const unsubscribeSlot = bank.onSlot((e) => {
    for (const [ws, subs] of sockets) {
      for (const [id, sub] of subs) {
        if (sub.kind === "slot") {
          notify(ws, "slotNotification", id, { parent: e.slot - 1, root: Math.max(0, e.slot - bank.finalizeAfterSlots), slot: e.slot });
        } else if (checkSignature(ws, id, sub)) {
          subs.delete(id);
        }
      }
    }
  });

  function reply(ws: WebSocket, id: unknown, result: unknown, error?: { code: number; message: string }): void {
    if (ws.readyState !== ws.OPEN) return;
    const safeId = typeof id === "string" || typeof id === "number" ? id : null;
    ws.send(JSON.stringify(error ? { jsonrpc: "2.0", error, id: safeId } : { jsonrpc: "2.0", result, id: safeId }));
  }

  function onMessage(ws: WebSocket, subs: Map<number, Subscription>, text: string): void {
    let msg: { method?: unknown; params?: unknown; id?: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      reply(ws, null, null, { code: -32700, message: "Parse error" });
      return;
    }
    if (typeof msg !== "object" || msg === null) {
      reply(ws, null, null, { code: -32600, message: "Invalid request" });
      return;
    }
    const params = Array.isArray(msg.params) ? msg.params : [];
    const cfg = (typeof params[1] === "object" && params[1] !== null ? params[1] : {}) as Record<string, unknown>;
    switch (msg.method) {
      case "signatureSubscribe": {
        if (typeof params[0] !== "string") {
          reply(ws, msg.id, null, { code: -32602, message: "Invalid params" });
          return;
        }
        const id = nextId++;
        const sub = { kind: "signature" as const, signature: params[0], commitment: COMMITMENTS[String(cfg.commitment)] ?? "finalized" };
        reply(ws, msg.id, id);
        if (!checkSignature(ws, id, sub)) subs.set(id, sub);
        return;
      }
      case "slotSubscribe": {
        const id = nextId++;
        subs.set(id, { kind: "slot" });
        reply(ws, msg.id, id);
        return;
      }
      case "signatureUnsubscribe":
      case "slotUnsubscribe":
        reply(ws, msg.id, typeof params[0] === "number" && subs.delete(params[0]));
        return;
      default:
        reply(ws, msg.id, null, { code: -32601, message: "Method not found" });
        return;
    }
  }

  return new Promise((resolve, reject) => {
    const wss = new WebSocketServer({ host: opts.host, port: opts.port, maxPayload: 64 * 1024 });
    wss.on("connection", (ws) => {
      const subs = new Map<number, Subscription>();
      sockets.set(ws, subs);
      ws.on("message", (data) => onMessage(ws, subs, data.toString()));
      ws.on("close", () => sockets.delete(ws));
      ws.on("error", () => sockets.delete(ws));
    });
    const fail = (e: Error) => {
      unsubscribeSlot();
      reject(e);
    };
    wss.once("error", fail);
    wss.once("listening", () => {
      wss.off("error", fail);
      wss.on("error", () => undefined);
      const address = wss.address();
      resolve({
        port: typeof address === "object" && address !== null ? address.port : opts.port,
        close() {
          unsubscribeSlot();
          for (const ws of sockets.keys()) ws.terminate();
          sockets.clear();
          return new Promise((r) => wss.close(() => r()));
        },
      });
    });
  });
}
