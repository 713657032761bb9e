/**
 * The `rate_limit` fault: what a public or paid RPC endpoint does when a client sends too much.
 * Requests are counted in fixed windows of `window_s` seconds (public Solana endpoints count per
 * 10 s): at most `rps × window_s` in total, `per_method_rps[m] × window_s` for method m, and
 * `each_method_rps × window_s` for any other single method. `max_concurrent` bounds requests
 * being served at once. Over a limit the endpoint answers HTTP 429 with `Retry-After`
 * (`retry_after_s`, or the seconds left in the window) and a JSON-RPC error body.
 * A batch counts one request per entry, as it costs the node one call per entry.
 */
import { z } from "zod";

const rps = z.number().positive().max(1_000_000);
export const rateLimitSchema = z
  .object({
    rps: rps.optional(),
    per_method_rps: z.record(z.string().min(1).max(100), rps).optional(),
    /** Limit of any single method not named in per_method_rps (public endpoints: 40 per 10 s). */
    each_method_rps: rps.optional(),
    max_concurrent: z.number().int().min(1).max(100_000).optional(),
    retry_after_s: z.number().int().min(0).max(3600).optional(),
    /** Length of the counting window (default 1 s; public endpoints count per 10 s). */
    window_s: z.number().int().min(1).max(3600).optional(),
  })
  .strict();

export type RateLimitSettings = z.infer<typeof rateLimitSchema>;

export type RateLimitVerdict = { ok: true; release: () => void } | { ok: false; retryAfterS: number };

export interface RateLimiter {
  /** Admit one HTTP request carrying these JSON-RPC methods, or say when to come back. */
  admit(methods: string[], limits: RateLimitSettings | undefined): RateLimitVerdict;
}

const NOOP = () => undefined;

export function createRateLimiter(now: () => number = Date.now): RateLimiter {
  let windowStart = 0;
  let windowKey = "";
  let total = 0;
  const byMethod = new Map<string, number>();
  let active = 0;

  /** Windows are counted from the first request under a setting, so a test sees whole windows. */
  function roll(windowMs: number, t: number, key: string): void {
    if (key === windowKey && t < windowStart + windowMs) return;
    windowStart = key === windowKey ? windowStart + Math.floor((t - windowStart) / windowMs) * windowMs : t;
    windowKey = key;
    total = 0;
    byMethod.clear();
  }

  return {
    admit(methods, limits) {
      if (!limits) return { ok: true, release: NOOP };
      const windowMs = (limits.window_s ?? 1) * 1000;
      const t = now();
      // A new limit setting starts a fresh window, so a test sees its limits from zero.
      roll(windowMs, t, JSON.stringify(limits));
      const retryAfterS = limits.retry_after_s ?? Math.max(1, Math.ceil((windowStart + windowMs - t) / 1000));
      const perWindow = (r: number) => Math.max(1, Math.floor(r * (windowMs / 1000)));
      if (limits.max_concurrent !== undefined && active >= limits.max_concurrent) return { ok: false, retryAfterS: limits.retry_after_s ?? 1 };
      if (limits.rps !== undefined && total + methods.length > perWindow(limits.rps)) return { ok: false, retryAfterS };
      const wanted = new Map<string, number>();
      for (const m of methods) wanted.set(m, (wanted.get(m) ?? 0) + 1);
      for (const [m, n] of wanted) {
        const r = limits.per_method_rps?.[m] ?? limits.each_method_rps;
        if (r !== undefined && (byMethod.get(m) ?? 0) + n > perWindow(r)) return { ok: false, retryAfterS };
      }
      total += methods.length;
      for (const [m, n] of wanted) byMethod.set(m, (byMethod.get(m) ?? 0) + n);
      active++;
      let released = false;
      return {
        ok: true,
        release: () => {
          if (released) return;
          released = true;
          active--;
        },
      };
    },
  };
}
