import { describe, expect, it } from "vitest";
import type { Store } from "@courier/agent";
import { LEASE_MS, makeLedgerEntry, makeNewOp, T0 } from "@courier/testing";

/** putLedgerEntries: guarded ledger writes for a batch, in one transaction, with per-entry results. */
export function describeLedgerBatch(getStore: () => Store): void {
  describe("putLedgerEntries", () => {
    it("writes each owned entry, refuses lost leases and conflicts, one result per entry in order", async () => {
      const s = getStore();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await s.createOp(makeNewOp())).op.id);
      const [a, b, c, d, e] = ids as [string, string, string, string, string];
      await s.claimDue({ now: T0, limit: 4, owner: "inst-a", lease_ms: LEASE_MS });
      // b cancelled; d's entry comes from another owner; e was never claimed.
      await s.cancelOp({ id: b, now: T0 + 5 });
      const existing = makeLedgerEntry({ op_id: c, signature: "sig-c-0", seq: 0 });
      await s.putLedgerEntry(existing, { owner: "inst-a" });
      const entry = (op_id: string, signature: string, seq = 0) => makeLedgerEntry({ op_id, signature, seq });
      const results = await s.putLedgerEntries([
        { entry: entry(a, "sig-a"), owner: "inst-a" },
        { entry: entry(b, "sig-b"), owner: "inst-a" },
        { entry: entry(c, "sig-c-dup", 0), owner: "inst-a" },
        { entry: entry(c, "sig-c-1", 1), owner: "inst-a" },
        { entry: entry(d, "sig-d"), owner: "inst-other" },
        { entry: entry(e, "sig-e"), owner: "inst-a" },
        { entry: entry(a, "sig-c-1", 1), owner: "inst-a" },
      ]);
      expect(results).toEqual(["ok", "lease_lost", "conflict", "ok", "lease_lost", "lease_lost", "conflict"]);
      expect((await s.getOpLedger(a)).map((x) => x.signature)).toEqual(["sig-a"]);
      expect(await s.getOpLedger(b)).toEqual([]);
      expect((await s.getOpLedger(c)).map((x) => x.signature)).toEqual(["sig-c-0", "sig-c-1"]);
      expect(await s.getOpLedger(d)).toEqual([]);
      expect(await s.getOpLedger(e)).toEqual([]);
      const [written] = await s.getLedgerEntries(a, 1);
      expect(written).toEqual(entry(a, "sig-a"));
    });

    it("an empty batch writes nothing", async () => {
      expect(await getStore().putLedgerEntries([])).toEqual([]);
    });
  });
}
