/**
 * The priority-fee ceiling. The localnet always reports zero prioritization fees, so this one
 * case uses a pool that answers only getRecentPrioritizationFees (every other call throws: the
 * guard must refuse before anything else happens). The store is a real SQLite file.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Op, openSqliteStore, type RunContext, type Store, systemClock } from "@courier/agent";
import { createSignerFromSecretKey, createSolanaExecutor, type RpcPool } from "@courier/solana";
import { Keypair } from "@solana/web3.js";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";

function createFeeOnlyPool(fee: number): RpcPool {
  return new Proxy({} as RpcPool, {
    get(_t, key) {
      if (key === "getRecentPrioritizationFees") return async () => [1, 2, 3, 4].map((slot) => ({ slot, prioritizationFee: fee }));
      if (key === "then") return undefined;
      // Admission is a local budget check, not a call to the cluster.
      if (key === "admit") return async () => undefined;
      return () => {
        throw new Error(`pool.${String(key)} must not be called when the fee guard refuses`);
      };
    },
  });
}

describe("priority-fee ceiling", () => {
  let store: Store | undefined;
  let dir: string | undefined;
  afterAll(async () => {
    await store?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("refuses an op when the cluster's fee is over the ceiling, with an audit event", async () => {
    dir = await mkdtemp(join(tmpdir(), "courier-fee-"));
    const s = await openSqliteStore(join(dir, "courier.db"));
    store = s;
    const logger = pino({ level: "silent" });
    const executor = createSolanaExecutor({
      pool: createFeeOnlyPool(50_000),
      store: s,
      signer: createSignerFromSecretKey(Keypair.generate().secretKey),
      feeCeilingMicroLamports: 10_000,
      clock: systemClock,
      logger,
    });
    const op = { id: "op-fee", action: "sol.transfer", params: { to: Keypair.generate().publicKey.toBase58(), lamports: 1_000_000 }, run: 1 } as Op;
    const ctx: RunContext = {
      run: 1,
      attempt: 1,
      instance: "t",
      reclaimed: false,
      signal: new AbortController().signal,
      log: logger,
      ledger: {
        entries: () => s.getLedgerEntries(op.id, 1),
        put: (e) => s.putLedgerEntry({ ...e, op_id: op.id, run: 1, created_at: 0, updated_at: 0 }),
        update: (seq, state, error) => s.updateLedgerEntry({ op_id: op.id, run: 1, seq, state, error, now: 0 }),
      },
    };
    const result = await executor.execute(op, ctx);
    executor.stop();
    expect(result.outcome).toBe("permanent");
    expect(result.outcome !== "ok" && result.error.code).toBe("COURIER__OP__FEE_CEILING");
    expect(await s.getLedgerEntries(op.id, 1)).toEqual([]);
    const audit = await s.listAudit({ limit: 5, kind: "spend_guard.refused" });
    expect(audit.map((a) => a.data.code)).toEqual(["COURIER__OP__FEE_CEILING"]);
  });
});
