import type { Clock, LedgerStore, RunLedger } from "../types.js";
import type { LedgerBatcher } from "./ledger-batcher.js";

/**
 * The executor's view of one run's ledger entries, over the store. Puts are guarded by `owner`:
 * an op cancelled or lost meanwhile gets no new transaction. With `batcher`, puts of the same
 * moment share one store transaction (see ledger-batcher.ts).
 */
export function createRunLedger(store: LedgerStore, clock: Clock, opId: string, run: number, owner: string, batcher?: LedgerBatcher): RunLedger {
  return {
    entries: () => store.getLedgerEntries(opId, run),
    put: async (entry) => {
      const now = clock.now();
      const full = { ...entry, op_id: opId, run, created_at: now, updated_at: now };
      if (batcher) await batcher.put({ entry: full, owner });
      else await store.putLedgerEntry(full, { owner });
    },
    update: (seq, state, error) => store.updateLedgerEntry({ op_id: opId, run, seq, state, error, now: clock.now() }),
  };
}
