import type { Clock, LedgerEntry, LedgerStore, RunLedger } from "../types.js";
import type { LedgerBatcher } from "./ledger-batcher.js";

/**
 * The executor's view of one run's ledger entries, over the store. Puts are guarded by `owner`:
 * an op cancelled or lost meanwhile gets no new transaction. With `batcher`, puts (and updates)
 * of the same moment share one store transaction (see ledger-batcher.ts).
 */
export function createRunLedger(store: LedgerStore, clock: Clock, opId: string, run: number, owner: string, batcher?: LedgerBatcher): RunLedger {
  return new StoreRunLedger(store, clock, opId, run, owner, batcher ?? null);
}

/** A class, so a run in flight holds one small record rather than three closures. */
class StoreRunLedger implements RunLedger {
  constructor(
    private readonly store: LedgerStore,
    private readonly clock: Clock,
    private readonly opId: string,
    private readonly run: number,
    private readonly owner: string,
    private readonly batcher: LedgerBatcher | null,
  ) {}

  entries(): Promise<LedgerEntry[]> {
    return this.store.getLedgerEntries(this.opId, this.run);
  }

  async put(entry: Parameters<RunLedger["put"]>[0]): Promise<void> {
    const now = this.clock.now();
    const full = { ...entry, op_id: this.opId, run: this.run, created_at: now, updated_at: now };
    if (this.batcher) await this.batcher.put({ entry: full, owner: this.owner });
    else await this.store.putLedgerEntry(full, { owner: this.owner });
  }

  update(seq: number, state: LedgerEntry["state"], error: string | null): Promise<void> {
    const args = { op_id: this.opId, run: this.run, seq, state, error, now: this.clock.now() };
    return this.batcher ? this.batcher.update(args) : this.store.updateLedgerEntry(args);
  }
}
