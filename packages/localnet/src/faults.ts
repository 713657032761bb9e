/**
 * Fault injection per endpoint: latency, 429 (with Retry-After), 5xx, outage and dropped
 * responses (the request is executed, the client gets a reset connection). Seeded, so a test
 * with a seed sees the same sequence of faults on every run.
 */
import { z } from "zod";
import { rateLimitSchema } from "./rate-limit.js";
import type { FaultSettings } from "./types.js";

const rate = z.number().min(0).max(1);
export const faultSettingsSchema = z
  .object({
    latency_ms: z.number().int().min(0).max(120_000).optional(),
    rate_429: rate.optional(),
    rate_5xx: rate.optional(),
    drop_response_rate: rate.optional(),
    outage: z.boolean().optional(),
    retry_after_s: z.number().int().min(0).max(3600).optional(),
    /** Extra latency drawn uniformly from [0, latency_jitter_ms) on top of latency_ms. */
    latency_jitter_ms: z.number().int().min(0).max(120_000).optional(),
    rate_limit: rateLimitSchema.optional(),
    /** Answer requests of these methods with this HTTP error status (e.g. getLatestBlockhash: 503). */
    status_by_method: z.record(z.string().min(1).max(100), z.number().int().min(400).max(599)).optional(),
    /** Refuse JSON-RPC batch requests (HTTP 400, nothing executed), as some hosted endpoints do. */
    refuse_batches: z.boolean().optional(),
  })
  .strict();

export type FaultDecision = "outage" | "429" | "5xx" | "drop" | "ok";

export interface FaultState {
  get(): FaultSettings;
  set(f: FaultSettings): void;
  /** Roll the dice for one HTTP request. Always draws three numbers, so sequences are stable. */
  decide(): FaultDecision;
  /** This request's injected latency: latency_ms plus its jitter draw (own dice, so decide() stays stable). */
  latency(): number;
}

/** mulberry32: small, fast, good enough for fault dice. */
function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function parseFaultSettings(input: unknown): FaultSettings {
  return faultSettingsSchema.parse(input);
}

export function createFaultState(seed: number): FaultState {
  let settings: FaultSettings = {};
  const rng = createRng(seed);
  const jitterRng = createRng(seed ^ 0x5bd1e995);
  return {
    get: () => ({ ...settings }),
    set(f) {
      settings = parseFaultSettings(f);
    },
    decide() {
      const r429 = rng();
      const r5xx = rng();
      const rDrop = rng();
      if (settings.outage) return "outage";
      if (r429 < (settings.rate_429 ?? 0)) return "429";
      if (r5xx < (settings.rate_5xx ?? 0)) return "5xx";
      if (rDrop < (settings.drop_response_rate ?? 0)) return "drop";
      return "ok";
    },
    latency() {
      const jitter = settings.latency_jitter_ms ?? 0;
      return (settings.latency_ms ?? 0) + (jitter > 0 ? Math.floor(jitterRng() * jitter) : 0);
    },
  };
}
