/**
 * Safe mode: the store cannot be trusted with writes (disk full, read-only file or directory,
 * I/O errors, a corrupt file). The process stays up with the admin API answering from what can
 * still be read, no op is sent, and /readyz says why and what to do.
 *
 * How it works: every store call of the process goes through `wrap(store)`, which rebuilds the
 * store with a guard on each verb; the verb table's `write` flags tell writes from reads.
 * - A call that fails with COURIER__STORE__UNAVAILABLE (SQLITE_FULL, READONLY, IOERR, CANTOPEN)
 *   enters safe mode "unavailable". The crank already treats that failure as `infra` (no claims,
 *   one probe per cooldown interval, no attempt consumed). Safe mode ends by itself when the
 *   verb that failed succeeds again (e.g. the probe's claim once space was freed), or any write
 *   succeeds after QUIET_MS without a failure. Not on any success: on a full disk a write that
 *   changes nothing still succeeds, and safe mode must not flap (one log line in, one out).
 * - COURIER__STORE__CORRUPT (from any call, or the integrity check at start) enters safe mode
 *   "corrupt", which only a restart clears: from then on every write is refused here before it
 *   reaches the file (a corrupt file must not be written further), as COURIER__STORE__CORRUPT,
 *   an `infra` error, so the crank stays in cooldown and the supervisor sees no crash. The
 *   executor's ledger write (before any send) is refused too, so nothing reaches the chain.
 * - "read_only" (the SQLite file or its directory was not writable at start, so the store was
 *   opened read-only) and "replaced" (the file at COURIER_DB is no longer the one this process
 *   opened: see process-heartbeat.ts) behave like "corrupt": writes refused, only a restart
 *   (on a writable, or the new, file) clears them.
 * Every refusal names safe mode, the reason and the fix (the admin API answers it as a 503).
 * Reads pass through, so stats, ops and the audit trail stay visible while the operator decides.
 */
import { type Clock, CourierError, type ErrorCode, type Store, type VerbGuard, coerceError } from "@courier/agent";
import type { ReadinessReport } from "@courier/admin";
import type { Logger } from "pino";

/** Writes succeeding without a failure for this long also end "unavailable" (see above). */
const QUIET_MS = 30_000;

const SAFE_MODE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(["COURIER__STORE__UNAVAILABLE", "COURIER__STORE__CORRUPT"]);

/** A store built from a verb table (both backends are): it can be rebuilt with a guard. */
export type GuardableStore = Store & { withGuard(guard: VerbGuard): Store };

export type SafeModeKind = "unavailable" | "corrupt" | "read_only" | "replaced";

/** Kinds only a restart clears; every write is refused while in one. */
const UNTIL_RESTART: ReadonlySet<SafeModeKind> = new Set<SafeModeKind>(["corrupt", "read_only", "replaced"]);

export interface SafeModeState {
  kind: SafeModeKind;
  /** One line: what failed (never a secret: store errors name paths and SQLite codes). */
  reason: string;
  since: number;
}

export interface SafeMode {
  /** The store as the process uses it (same object shape; writes guarded as described above). */
  wrap<S extends GuardableStore>(store: S): S;
  /** Enter corrupt mode (the integrity check at start failed). */
  enterCorrupt(detail: string): void;
  /** The store could only be opened read-only at start (`detail` names the path and why). */
  enterReadOnly(detail: string): void;
  /** The store file was replaced under the running process. */
  enterReplaced(detail: string): void;
  state(): SafeModeState | null;
  /** For the admin service's `readiness` dependency: null when not in safe mode. */
  readiness(): ReadinessReport | null;
}

export function createSafeMode(opts: { logger: Logger; clock: Clock; storeLabel: string; storeDir?: string | null }): SafeMode {
  const now = () => opts.clock.now();
  const log = opts.logger.child({ component: "safe-mode" });
  let current: SafeModeState | null = null;
  /** The verb whose failure entered "unavailable", and the last failure's time. */
  let failedMethod: string | null = null;
  let lastFailureAt = 0;

  function enter(kind: SafeModeKind, reason: string): void {
    // A state only a restart clears is the stronger one: nothing replaces it.
    if (current && (UNTIL_RESTART.has(current.kind) || current.kind === kind)) return;
    current = { kind, reason, since: now() };
    log.error({ kind, reason }, "store.safe_mode.entered");
  }

  function leaveUnavailable(method: string): void {
    if (current?.kind !== "unavailable") return;
    if (method !== failedMethod && now() - lastFailureAt < QUIET_MS) return;
    log.warn({ kind: current.kind, duration_ms: now() - current.since }, "store.safe_mode.left");
    current = null;
  }

  function describe(err: CourierError): string {
    const sqlite = typeof err.context.sqlite === "string" ? err.context.sqlite : null;
    const what = sqlite?.startsWith("SQLITE_FULL")
      ? "disk full"
      : sqlite?.startsWith("SQLITE_READONLY")
        ? "store is read-only"
        : sqlite?.startsWith("SQLITE_IOERR")
          ? "store I/O error"
          : err.code === "COURIER__STORE__CORRUPT"
            ? "store file is corrupt"
            : "store unavailable";
    return `${what} (${sqlite ?? err.code}): ${err.message}`.slice(0, 300);
  }

  function observeFailure(method: string, e: unknown): void {
    const err = coerceError(e);
    if (!SAFE_MODE_CODES.has(err.code)) return;
    // Our own refusal is not news.
    if (err.context.safe_mode === true) return;
    lastFailureAt = now();
    if (current === null) failedMethod = method;
    enter(err.code === "COURIER__STORE__CORRUPT" ? "corrupt" : "unavailable", describe(err));
  }

  /** What the operator should do, per kind (the refusals and /readyz say the same). */
  function getAction(kind: SafeModeKind): string {
    switch (kind) {
      case "corrupt":
        return `stop courier, restore the last good backup with \`courier restore FILE\` (${opts.storeLabel}), then start it again`;
      case "replaced":
        return `restart courier so it opens the file now at ${opts.storeLabel} (what this process wrote since the replacement is in the file that was moved away)`;
      case "read_only":
        return `make ${opts.storeLabel} and its directory ${opts.storeDir ?? ""} writable by the user running courier (chown/chmod, or remount the filesystem read-write), then restart courier`;
      case "unavailable":
        return `free disk space or fix the permissions of ${opts.storeLabel} and its directory; sends resume by themselves once the store accepts writes`;
    }
  }

  function refuse(method: string, state: SafeModeState): CourierError {
    // A read-only store is not damaged; the others cannot be trusted with this write.
    const code: ErrorCode = state.kind === "read_only" ? "COURIER__STORE__UNAVAILABLE" : "COURIER__STORE__CORRUPT";
    return new CourierError(code, `store safe mode (${state.kind}): ${method} refused, no writes until it ends. ${state.reason}. Fix: ${getAction(state.kind)}`.slice(0, 900), {
      safe_mode: true,
      method,
    });
  }

  const guard: VerbGuard = {
    before(verb, write) {
      if (write && current && UNTIL_RESTART.has(current.kind)) throw refuse(verb, current);
    },
    succeeded(verb, write) {
      if (write) leaveUnavailable(verb);
    },
    failed: observeFailure,
  };

  return {
    wrap<S extends GuardableStore>(store: S): S {
      return store.withGuard(guard) as S;
    },
    enterCorrupt(detail) {
      enter("corrupt", `store failed its integrity check: ${detail}`.slice(0, 300));
    },
    enterReadOnly(detail) {
      enter("read_only", detail.slice(0, 400));
    },
    enterReplaced(detail) {
      enter("replaced", `store file replaced under the running process: ${detail}`.slice(0, 400));
    },
    state: () => current,
    readiness() {
      if (!current) return null;
      const action = getAction(current.kind);
      return {
        ready: false,
        reasons: [`safe mode since ${new Date(current.since).toISOString()} (no sends): ${current.reason}`],
        recommended_action: action,
      };
    },
  };
}


/**
 * SQLite's integrity check at start (a PostgreSQL server checks its own pages). A failure does
 * not stop the process: it starts in safe mode "corrupt" (admin up, /readyz 503 with the fix, no
 * sends), because the operator's first need is to see what the store still holds. A file that
 * cannot be opened at all is different: there is nothing to serve, and start refuses.
 */
export async function checkIntegrityAtStart(store: Store, safeMode: SafeMode, logger: Logger): Promise<void> {
  const sqlite = store as Store & { integrityCheck?: () => Promise<{ ok: boolean; detail: string }> };
  if (store.kind !== "sqlite" || typeof sqlite.integrityCheck !== "function") return;
  const check = await sqlite.integrityCheck();
  if (check.ok) return;
  const first = check.detail.split("\n")[0] ?? "failed";
  logger.error({ detail: first }, "store.integrity_failed");
  safeMode.enterCorrupt(first);
}
