/**
 * A real webhook receiver for the dispatcher tests: node:http on 127.0.0.1, port 0 (or a given
 * port, to come back "up" where it was "down"). It verifies every request with verifyWebhook and
 * answers per `mode`: ok (200), fail (500), hang (never answers; the client must time out).
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhook } from "./sign.js";

export type ReceiverMode = "ok" | "fail" | "hang";

export interface ReceivedDelivery {
  id: string;
  body: string;
  verified: boolean;
  status: number;
}

export interface TestReceiver {
  readonly url: string;
  readonly port: number;
  mode: ReceiverMode;
  /** Every request that arrived (hung ones included, with status 0). */
  readonly requests: ReceivedDelivery[];
  /** Most requests open at the same time so far. */
  readonly maxInFlight: number;
  /** Requests answered 2xx. */
  delivered(): ReceivedDelivery[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startTestReceiver(opts: { secrets: string[]; mode?: ReceiverMode; port?: number; now?: () => number }): Promise<TestReceiver> {
  const requests: ReceivedDelivery[] = [];
  const state = { mode: opts.mode ?? "ok", inFlight: 0, maxInFlight: 0 } as { mode: ReceiverMode; inFlight: number; maxInFlight: number };
  const server: Server = createServer((req, res) => {
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    res.on("close", () => void state.inFlight--);
    void readBody(req).then((body) => {
      const verified = verifyWebhook({ headers: req.headers, body, secrets: opts.secrets, now: opts.now?.() }).ok;
      const entry: ReceivedDelivery = { id: String(req.headers["webhook-id"] ?? ""), body, verified, status: 0 };
      requests.push(entry);
      if (state.mode === "hang") return;
      entry.status = state.mode === "ok" ? 200 : 500;
      res.writeHead(entry.status, { "content-type": "text/plain" }).end(state.mode);
    });
  });
  server.listen(opts.port ?? 0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    get mode() {
      return state.mode;
    },
    set mode(m: ReceiverMode) {
      state.mode = m;
    },
    requests,
    get maxInFlight() {
      return state.maxInFlight;
    },
    delivered: () => requests.filter((r) => r.status >= 200 && r.status < 300),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

/** A port that was free a moment ago and has nothing listening on it now. */
export async function getClosedPort(): Promise<number> {
  const s = createServer();
  s.listen(0, "127.0.0.1");
  await once(s, "listening");
  const port = (s.address() as AddressInfo).port;
  s.close();
  await once(s, "close");
  return port;
}
