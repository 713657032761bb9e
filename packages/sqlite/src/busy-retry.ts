import { abortableSleep, coerceError } from "@courier/agent";

/**
 * Backoff between tries after SQLITE_BUSY (busy_timeout has already waited inside each try).
 * better-sqlite3 is synchronous: busy_timeout blocks the whole event loop (lease renewals,
 * /healthz), so it is kept short (see open.ts) and the long wait happens here, asynchronously:
 * about 5.6 s in all before the store reports COURIER__STORE__BUSY (infra → crank cooldown).
 */
export const DEFAULT_BUSY_RETRY_MS: readonly number[] = [10, 25, 50, 100, 200, 400, 800, 1000, 1000, 1000, 1000];

function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

/**
 * Run one store call, retrying SQLITE_BUSY a few times with bounded backoff; anything else,
 * or busy after the last try, is thrown as a CourierError (busy → COURIER__STORE__BUSY, infra).
 */
export async function withBusyRetry<T>(fn: () => T, delaysMs: readonly number[] = DEFAULT_BUSY_RETRY_MS): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return fn();
    } catch (e) {
      if (!isBusy(e) || i >= delaysMs.length) throw coerceError(e);
      await abortableSleep(delaysMs[i] as number);
    }
  }
}
