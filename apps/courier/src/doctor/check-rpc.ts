/**
 * Doctor: every RPC endpoint answers, and all of them serve the same cluster (same genesis
 * hash). Endpoints are asked one by one, not through the pool, so each is judged on its own.
 */
import { createConnection } from "node:net";
import { coerceError } from "@courier/agent";
import { redactUrl } from "@courier/solana";
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
      : { check: `rpc ${endpoint}`, status: "fail", detail: `unreachable: ${a.error}` };
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
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: "courier-doctor", method: "getGenesisHash" }),
      signal: AbortSignal.timeout(RPC_TIMEOUT_MS),
    });
    if (!response.ok) return { error: `HTTP ${response.status}` };
    const body = (await response.json()) as { result?: unknown; error?: { message?: string } };
    if (typeof body.result === "string") return { hash: body.result };
    return { error: body.error?.message ?? "no genesis hash in the answer" };
  } catch (e) {
    // fetch errors may quote the URL; only the cause's class of failure is shown.
    const err = coerceError(e);
    return { error: err.message.includes("://") ? "request failed" : err.message };
  }
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
