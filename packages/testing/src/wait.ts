import { type CourierError, isCourierError, type Op, type OpStatus, type OperatorStore, TERMINAL_STATUSES } from "@courier/agent";

export interface WaitOptions {
  /** Give up after this long (default 10 s: generous for a loaded machine, bounded). */
  timeoutMs?: number;
  /** Poll interval (default 20 ms). */
  intervalMs?: number;
}

/** Not there yet: keep waiting. Anything else (0 and "" included) is the answer. */
type Pending = undefined | null | false;

/**
 * Poll `fn` until it returns something other than undefined, null or false, and return that.
 * Bounded: after `timeoutMs` it throws, naming `what` and the last error `fn` threw (a throw
 * counts as "not yet", so a store that is briefly locked does not end the wait).
 */
export async function waitFor<T>(what: string, fn: () => Promise<T | Pending> | T | Pending, opts: WaitOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const intervalMs = opts.intervalMs ?? 20;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== null && v !== false) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  const last = lastError ? ` (last error: ${lastError instanceof Error ? lastError.message : String(lastError)})` : "";
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last}`);
}

/** Wait until op `id` has one of `statuses`; returns the op. */
export function waitForOpStatus(
  store: Pick<OperatorStore, "getOp">,
  id: string,
  statuses: OpStatus | readonly OpStatus[],
  opts: WaitOptions = {},
): Promise<Op> {
  const wanted: readonly OpStatus[] = typeof statuses === "string" ? [statuses] : statuses;
  return waitFor(
    `op ${id} to be ${wanted.join(" or ")}`,
    async () => {
      const op = await store.getOp(id);
      return op && wanted.includes(op.status) ? op : null;
    },
    opts,
  );
}

/**
 * Poll until every op in `ids` is terminal, or the time is up (no throw: the caller checks what
 * it got); returns the ops as last read, in `ids` order.
 */
export async function waitForTerminalOps(store: Pick<OperatorStore, "getOp">, ids: string[], opts: WaitOptions = {}): Promise<Op[]> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  const last = new Map<string, Op>();
  let open = [...ids];
  while (open.length > 0 && Date.now() < deadline) {
    const next: string[] = [];
    for (const id of open) {
      const op = await store.getOp(id);
      if (op) last.set(id, op);
      if (!op || !TERMINAL_STATUSES.includes(op.status)) next.push(id);
    }
    open = next;
    if (open.length > 0) await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
  return ids.map((id) => last.get(id)).filter((o): o is Op => o !== undefined);
}

/**
 * The tests that need longer than the 30 s default (vitest.config.ts) name one of these, so the
 * reason stands beside the number.
 */
export const TEST_TIMEOUTS = {
  /** Spawns courier CLI or tsx child processes one after another: seconds each on a loaded 2-core machine. */
  childProcesses: 120_000,
  /** Property tests over thousands of generated requests. */
  fuzz: 90_000,
  /** Chaos and end-to-end runs: a localnet, several processes, kills and faults, hundreds of transfers. */
  chaos: 300_000,
} as const;

/** The CourierError `p` rejects with; throws when it resolves or rejects with anything else. */
export async function getCourierRejection(p: Promise<unknown>): Promise<CourierError> {
  try {
    await p;
  } catch (e) {
    if (isCourierError(e)) return e;
    throw e;
  }
  throw new Error("expected a failure");
}
