import type { Clock, LedgerStore, RunLedger } from "../types.js";

/** The executor's view of one run's ledger entries, over the store. */
export function createRunLedger(store: LedgerStore, clock: Clock, opId: string, run: number): RunLedger {
  return {
    entries: () => store.getLedgerEntries(opId, run),
    put: async (entry) => {
      const now = clock.now();
      await store.putLedgerEntry({ ...entry, op_id: opId, run, created_at: now, updated_at: now });
    },
    update: (seq, state, error) => store.updateLedgerEntry({ op_id: opId, run, seq, state, error, now: clock.now() }),
  };
}
