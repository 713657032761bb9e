/** The ledger verbs' errors, the same in every store. */
import { CourierError } from "../errors.js";
import type { LedgerEntry } from "../types.js";

type EntryKey = Pick<LedgerEntry, "op_id" | "run" | "seq">;

/** An entry's (op, run, seq) or its signature is already in the ledger. */
export function ledgerConflict(e: EntryKey & Pick<LedgerEntry, "signature">, cause: unknown): CourierError {
  return new CourierError(
    "COURIER__CONFLICT",
    `ledger entry ${e.op_id}/${e.run}/${e.seq} or its signature already exists`,
    { op_id: e.op_id, run: e.run, seq: e.seq, signature: e.signature },
    { cause },
  );
}

/** A guarded put found the op no longer running under `owner`: nothing signed is sent. */
export function ledgerLeaseLost(e: Pick<LedgerEntry, "op_id" | "run">, owner: string): CourierError {
  return new CourierError("COURIER__OP__LEASE_LOST", `op ${e.op_id} is no longer running under ${owner} (cancelled or reclaimed): nothing signed is sent`, {
    op_id: e.op_id,
    run: e.run,
  });
}

export function ledgerEntryNotFound(a: EntryKey): CourierError {
  return new CourierError("COURIER__NOT_FOUND", `no ledger entry ${a.op_id}/${a.run}/${a.seq}`, { op_id: a.op_id, run: a.run, seq: a.seq });
}
