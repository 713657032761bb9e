/**
 * Doctor: every RPC endpoint answers, and all of them serve the same cluster (same genesis
 * hash). Endpoints are asked one by one, not through the pool, so each is judged on its own.
 */
import { createConnection } from "node:net";
import { coerceError } from "@courier/agent";
import { getNetworkErrorCode, type HttpAnswer, isTimeoutError, postJson, redactUrl, toRpcTarget } from "@courier/solana";
import type { Config } from "../config/index.js";
import type { DoctorCheck } from "./types.js";

const RPC_TIMEOUT_MS = 3_000;

export async function checkRpc(config: Config): Promise<DoctorCheck[]> {
  if (config.rpcUrls.length === 0) return [await checkLocalnetPort(config.localnetPort)];
  const answers = await Promise.all(config.rpcUrls.map((url) => getGenesisHash(url)));
  const checks: DoctorCheck[] = answers.map((a, i) => {
    const endpoint = redactUrl(config.rpcUrls[i] as string);
    return "hash" in a
      ? { check: `rpc ${endpoint}`, status: "ok", detail: `reachable, genesis ${a.hash}` }
      : { check: `rpc ${endpoint}`, status: "fail", detail: a.error };
  });
  const hashes = new Set(answers.flatMap((a) => ("hash" in a ? [a.hash] : [])));
  if (hashes.size > 1) {
    checks.push({
      check: "rpc cluster",
      status: "fail",
      detail: `endpoints serve different clusters (${hashes.size} genesis hashes): COURIER_RPC_URLS must name one cluster`,
    });
  } else if (hashes.size === 1) {
    checks.push({ check: "rpc cluster", status: "ok", detail: `all reachable endpoints share genesis ${[...hashes][0]}` });
  }
  return checks;
}

async function getGenesisHash(url: string): Promise<{ hash: string } | { error: string }> {
  // The pool's request, through the pool's HTTP client: user:pass@ becomes an Authorization header.
  const target = toRpcTarget(url);
  let answer: HttpAnswer;
  try {
    answer = await postJson(target.url, target.headers, JSON.stringify({ jsonrpc: "2.0", id: "courier-doctor", method: "getGenesisHash" }), RPC_TIMEOUT_MS);
  } catch (e) {
    return { error: explainRequestFailure(e) };
  }
  if (answer.status < 200 || answer.status >= 300) return { error: explainStatus(answer.status) };
  const body = parseAnswer(answer.text);
  if (typeof body?.result === "string") return { hash: body.result };
  const why = body === null ? "not a JSON object" : (body.error?.message ?? "no result");
  return { error: `answered, but not with a genesis hash (${why}): is this a Solana JSON-RPC endpoint?` };
}

function parseAnswer(text: string): { result?: unknown; error?: { message?: string } } | null {
  try {
    const body: unknown = JSON.parse(text);
    return body !== null && typeof body === "object" ? body : null;
  } catch {
    return null;
  }
}

function explainStatus(status: number): string {
  if (status === 401 || status === 403) {
    return `refused by the endpoint (HTTP ${status}): its credentials are missing or wrong; check the user:pass@, the key in the path or the ?api-key= of this URL in COURIER_RPC_URLS`;
  }
  if (status === 404 || status === 405) return `refused by the endpoint (HTTP ${status}): wrong path; check the path of this URL (some providers put the API key there)`;
  if (status === 429) return "rate limited (HTTP 429): reachable, but over the provider's request limit right now";
  return `answered HTTP ${status}`;
}

/** One line for a request that got no HTTP answer; never the URL (it may hold a key). */
function explainRequestFailure(e: unknown): string {
  if (isTimeoutError(e)) return `no answer within ${RPC_TIMEOUT_MS} ms`;
  const code = getNetworkErrorCode(e);
  if (code === "ECONNREFUSED") return "unreachable: connection refused (ECONNREFUSED); check the host and port";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `unreachable: the host name does not resolve (${code})`;
  if (code) return `unreachable (${code})`;
  // The client refuses some URLs before sending (a TypeError): say why, without quoting the URL.
  const err = coerceError(e);
  const reason = err.message.includes("://") ? "the URL cannot be used" : err.message;
  return `refused before sending: ${reason}; COURIER_RPC_URLS needs http(s) URLs (credentials as user:pass@host are sent as an Authorization header)`;
}

/** With no RPC endpoints, `courier start` runs the embedded localnet: is its port free? */
async function checkLocalnetPort(port: number): Promise<DoctorCheck> {
  const inUse = await new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.setTimeout(1_000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
  });
  return inUse
    ? { check: "rpc", status: "warn", detail: `no COURIER_RPC_URLS: embedded localnet; port ${port} is in use (a running courier, or set COURIER_LOCALNET_PORT)` }
    : { check: "rpc", status: "ok", detail: `no COURIER_RPC_URLS: embedded localnet on 127.0.0.1:${port} (port free)` };
}
