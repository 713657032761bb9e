import { abortableSleep, CourierError, coerceError } from "@courier/agent";

/** SQLSTATEs that mean "another transaction got in the way; running it again can succeed". */
const RETRYABLE_STATES = new Set(["40001", "40P01"]);
/** Lock wait / statement timeouts: the database is busy, not gone. */
const BUSY_STATES = new Set(["55P03", "57014"]);
/** Node socket errors meaning the server cannot be reached or the connection died. */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "EPIPE", "EHOSTUNREACH", "ENETUNREACH"]);

/** Backoff between tries after a serialization failure or deadlock. */
const RETRY_BACKOFF_MS = [5, 25, 100, 250] as const;

function sqlState(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

export function isRetryablePgError(e: unknown): boolean {
  const state = sqlState(e);
  return state !== undefined && RETRYABLE_STATES.has(state);
}

/** True for a unique violation (23505), optionally of one named constraint. */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  if (sqlState(e) !== "23505") return false;
  return constraint === undefined || (e as { constraint?: unknown }).constraint === constraint;
}

export function isForeignKeyViolation(e: unknown): boolean {
  return sqlState(e) === "23503";
}

/**
 * Map a pg / socket error onto Courier's store codes (what coerceError does for SQLite codes):
 * unreachable or dropped connections and a server shutting down → UNAVAILABLE (infra);
 * conflicts that survived the retries and lock timeouts → BUSY (infra); data corruption → CORRUPT.
 * Anything else keeps coerceError's classification.
 */
export function toStoreError(e: unknown): CourierError {
  if (e instanceof CourierError) return e;
  const state = sqlState(e);
  const message = e instanceof Error ? e.message : String(e);
  if (state !== undefined) {
    if (RETRYABLE_STATES.has(state) || BUSY_STATES.has(state)) {
      return new CourierError("COURIER__STORE__BUSY", message, { sqlstate: state }, { cause: e });
    }
    // 08 connection exception, 57P0x shutdown / cannot connect now, 53 insufficient resources,
    // 28 auth failure, 3D000 no such database: the store cannot be used right now.
    if (/^(08|53|28)/.test(state) || /^57P0[1-4]$/.test(state) || state === "3D000") {
      return new CourierError("COURIER__STORE__UNAVAILABLE", message, { sqlstate: state }, { cause: e });
    }
    if (state === "XX001" || state === "XX002") {
      return new CourierError("COURIER__STORE__CORRUPT", message, { sqlstate: state }, { cause: e });
    }
    if (NETWORK_CODES.has(state)) {
      return new CourierError("COURIER__STORE__UNAVAILABLE", message, { errno: state }, { cause: e });
    }
  }
  // pg reports a dropped socket with plain Errors (no code).
  if (/Connection terminated|connection timeout|Client has encountered a connection error|Cannot use a pool after calling end/i.test(message)) {
    return new CourierError("COURIER__STORE__UNAVAILABLE", message, {}, { cause: e });
  }
  return coerceError(e);
}

/**
 * Run one store call (a whole transaction), retrying serialization failures and deadlocks a few
 * times with bounded backoff: the transaction was rolled back, so running it again is safe.
 * Everything else, or a conflict after the last try, is thrown mapped by toStoreError.
 */
export async function withPgRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (!isRetryablePgError(e) || i >= RETRY_BACKOFF_MS.length) throw toStoreError(e);
      // Jitter so two transactions that deadlocked each other do not collide again in lockstep.
      await abortableSleep((RETRY_BACKOFF_MS[i] as number) * (0.5 + Math.random()));
    }
  }
}
