/**
 * Batches the ledger writes of signed transactions (the write-ahead rule: an entry is durable
 * before its first send). The runs that sign in one turn of the event loop have their entries
 * committed by ONE `store.putLedgerEntries` call, one transaction; each run's `put` resolves
 * only once that commit is done, so no byte of any of them leaves before its entry is on disk.
 * Each caller gets putLedgerEntry's own result: nothing, or its LEASE_LOST / CONFLICT error.
 * Verdicts are batched the same way: the entries one status poll settles are updated by ONE
 * `store.updateLedgerEntries` call.
 * Failure isolation: see store-batcher.ts.
 */
import { CourierError } from "../errors.js";
import { ledgerEntryNotFound } from "../store/ledger-errors.js";
import type { LedgerPutResult, LedgerStore, LedgerUpdateResult, PutLedgerEntryArgs, UpdateLedgerEntryArgs } from "../types.js";
import { createStoreBatcher } from "./store-batcher.js";

export interface LedgerBatcher {
  /** Write one guarded entry with the others of this moment; rejects as putLedgerEntry would. */
  put(args: PutLedgerEntryArgs): Promise<void>;
  /** Update one entry's state with the others of this moment; rejects as updateLedgerEntry would. */
  update(args: UpdateLedgerEntryArgs): Promise<void>;
}

/** Largest batch of entries committed in one transaction. */
export const DEFAULT_LEDGER_BATCH = 256;

export function createLedgerBatcher(
  store: Pick<LedgerStore, "putLedgerEntry" | "putLedgerEntries" | "updateLedgerEntry" | "updateLedgerEntries">,
  maxBatch = DEFAULT_LEDGER_BATCH,
): LedgerBatcher {
  const updates = createStoreBatcher<UpdateLedgerEntryArgs, LedgerUpdateResult>({
    many: (batch) => store.updateLedgerEntries(batch),
    one: async (a) => {
      await store.updateLedgerEntry(a);
      return "ok";
    },
    maxBatch,
  });
  const batcher = createStoreBatcher<PutLedgerEntryArgs, LedgerPutResult>({
    many: (batch) => store.putLedgerEntries(batch),
    // The single verb throws what the batch verb reports: the entry's own error either way.
    one: async (a) => {
      await store.putLedgerEntry(a.entry, { owner: a.owner });
      return "ok";
    },
    maxBatch,
  });
  return {
    async put(args) {
      const result = await batcher.push(args);
      const e = args.entry;
      if (result === "lease_lost") {
        throw new CourierError("COURIER__OP__LEASE_LOST", `op ${e.op_id} is no longer running under ${args.owner} (cancelled or reclaimed): nothing signed is sent`, {
          op_id: e.op_id,
          run: e.run,
        });
      }
      if (result === "conflict") {
        throw new CourierError("COURIER__CONFLICT", `ledger entry ${e.op_id}/${e.run}/${e.seq} or its signature already exists`, {
          op_id: e.op_id,
          run: e.run,
          seq: e.seq,
          signature: e.signature,
        });
      }
    },
    async update(args) {
      if ((await updates.push(args)) === "not_found") throw ledgerEntryNotFound(args);
    },
  };
}
