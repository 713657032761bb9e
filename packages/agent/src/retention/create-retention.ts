/**
 * Retention: prunes what COURIER_RETENTION_DAYS no longer keeps (rules: store/prune-rules.ts),
 * in small batches with pauses in between, so the crank's claims and finishes never wait long
 * for the write lock. One pass runs at start and then every `intervalMs`; a pass repeats
 * batches until one finds less than a batch of anything left. After a pass that pruned rows, a
 * SQLite store hands freed pages back to the file system a few at a time (incremental vacuum).
 */
import type { Logger } from "pino";
import { coerceError } from "../errors.js";
import { DAY_MS, isPruneComplete } from "../store/prune-rules.js";
import type { Clock, PruneCounts, Store } from "../types.js";

/** SQLite's extra: hand up to `pages` free pages back to the file system; returns how many were left. */
export interface SpaceReclaimer {
  reclaimSpace(args: { pages: number }): Promise<{ freelist_pages: number }>;
}

export interface RetentionOptions {
  store: Pick<Store, "prune"> & Partial<SpaceReclaimer>;
  clock: Clock;
  logger: Logger;
  /** > 0 (0 means "keep everything": do not create a retention). */
  retentionDays: number;
  /** Rows per statement of a batch (default 200). */
  batchSize?: number;
  /** Pause after each batch: at least this (default 50 ms)… */
  minPauseMs?: number;
  /** …and at least this many times the batch's own duration (default 10: the pruner holds the store ≤ ~10% of the time). */
  pauseFactor?: number;
  /** Between passes (default 10 minutes). */
  intervalMs?: number;
  /** Free pages handed back per step (default 512 pages, 2 MiB at 4 KiB pages). */
  vacuumPages?: number;
}

export interface PassSummary extends PruneCounts {
  batches: number;
  duration_ms: number;
  freelist_pages: number | null;
}

export interface Retention {
  start(): void;
  /** One full pass now (tests, the bench). */
  runPass(): Promise<PassSummary>;
  stop(): Promise<void>;
}

const EMPTY: PruneCounts = { ops: 0, attempts: 0, ledger: 0, audit: 0, outbox: 0, alerts: 0 };

export function createRetention(opts: RetentionOptions): Retention {
  const { store, clock } = opts;
  const log = opts.logger.child({ component: "retention" });
  const limit = opts.batchSize ?? 200;
  const minPauseMs = opts.minPauseMs ?? 50;
  const pauseFactor = opts.pauseFactor ?? 10;
  const intervalMs = opts.intervalMs ?? 10 * 60_000;
  const vacuumPages = opts.vacuumPages ?? 512;
  const stopSignal = new AbortController();
  let loop: Promise<void> | null = null;

  const pause = (batchMs: number) => clock.sleep(Math.max(minPauseMs, batchMs * pauseFactor), stopSignal.signal);

  async function runPass(): Promise<PassSummary> {
    const started = clock.now();
    const before = started - opts.retentionDays * DAY_MS;
    const total: PruneCounts = { ...EMPTY };
    let batches = 0;
    while (!stopSignal.signal.aborted) {
      const t0 = clock.now();
      const counts = await store.prune({ before, limit });
      batches++;
      for (const k of Object.keys(total) as Array<keyof PruneCounts>) total[k] += counts[k];
      if (isPruneComplete(counts, limit)) break;
      await pause(clock.now() - t0);
    }
    const pruned = Object.values(total).some((n) => n > 0);
    const freelist = pruned ? await reclaim() : null;
    return { ...total, batches, duration_ms: clock.now() - started, freelist_pages: freelist };
  }

  /** Incremental vacuum in small steps (each a short write); null when the store has none. */
  async function reclaim(): Promise<number | null> {
    if (!store.reclaimSpace) return null;
    let left = Number.POSITIVE_INFINITY;
    while (left > 0 && !stopSignal.signal.aborted) {
      const t0 = clock.now();
      left = (await store.reclaimSpace({ pages: vacuumPages })).freelist_pages;
      if (left > 0) await pause(clock.now() - t0);
    }
    return Number.isFinite(left) ? left : null;
  }

  async function run(): Promise<void> {
    while (!stopSignal.signal.aborted) {
      try {
        const pass = await runPass();
        if (pass.batches > 1 || Object.entries(pass).some(([k, v]) => k in EMPTY && v > 0)) log.info({ retention_days: opts.retentionDays, ...pass }, "store.retention.pruned");
      } catch (e) {
        // A store in trouble (busy, safe mode) is the crank's business; retention tries next time.
        log.warn({ error: coerceError(e).toJSON() }, "store.retention.failed");
      }
      await clock.sleep(intervalMs, stopSignal.signal);
    }
  }

  return {
    start() {
      loop ??= run();
    },
    runPass,
    async stop() {
      stopSignal.abort();
      await loop;
    },
  };
}
