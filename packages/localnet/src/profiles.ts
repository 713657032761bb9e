/**
 * Named cluster shapes for `courier localnet --profile NAME`. Where each figure comes from is
 * written next to it and in README.md ("Profiles").
 */
import type { FaultSettings } from "./types.js";

export interface LocalnetProfile {
  slotMs: number;
  /** Applied to every endpoint of the localnet at start. */
  faults: FaultSettings;
}

export const LOCALNET_PROFILES = {
  devnet: {
    // Solana docs, "Clusters": a slot is targeted at 400 ms.
    slotMs: 400,
    faults: {
      // Assumed, not published: a client on another continent sees ~40–120 ms per request.
      latency_ms: 40,
      latency_jitter_ms: 80,
      // Assumed: the odd answer lost on the way back (the request still took effect).
      drop_response_rate: 0.002,
      // Solana docs, "Clusters / RPC endpoints" (same for mainnet-beta, devnet, testnet):
      // 100 requests per 10 s per IP, 40 per 10 s per IP for a single method,
      // 40 concurrent connections per IP; over the limit: HTTP 429.
      rate_limit: { rps: 10, each_method_rps: 4, window_s: 10, max_concurrent: 40 },
    },
  },
} as const satisfies Record<string, LocalnetProfile>;

export type LocalnetProfileName = keyof typeof LOCALNET_PROFILES;

export function isLocalnetProfileName(name: string): name is LocalnetProfileName {
  return Object.hasOwn(LOCALNET_PROFILES, name);
}
