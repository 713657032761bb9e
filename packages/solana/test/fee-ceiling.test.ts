/**
 * The priority fee on the localnet: an estimate above the ceiling is clamped to it (audited) and
 * the op still lands; the estimate is asked for the transaction's writable accounts and cached
 * per account set; transfers carry a compute-unit limit sized from their measured cost. The
 * localnet reports no prioritization fees, so the pool answers getRecentPrioritizationFees
 * itself and passes every other call to the real localnet.
 */
import type { RpcPool } from "@courier/solana";
import { ComputeBudgetProgram, Keypair, VersionedMessage } from "@solana/web3.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, LAMPORTS_PER_SOL } from "./helpers/harness.js";

const CEILING = 10_000;
const feeCalls: string[][] = [];

function withFeeSamples(pool: RpcPool, fees: number[]): RpcPool {
  return new Proxy(pool, {
    get(target, key, receiver) {
      if (key === "getRecentPrioritizationFees") {
        return async (accounts: string[]) => {
          feeCalls.push(accounts);
          return fees.map((prioritizationFee, slot) => ({ slot, prioritizationFee }));
        };
      }
      return Reflect.get(target, key, receiver);
    },
  });
}

/** SetComputeUnitPrice / SetComputeUnitLimit values in a signed transaction. */
function getComputeBudget(wire: Uint8Array): { price: bigint | null; limit: number | null } {
  const message = VersionedMessage.deserialize(wire.subarray(1 + 64 * (wire[0] ?? 0)));
  let price: bigint | null = null;
  let limit: number | null = null;
  for (const ix of message.compiledInstructions) {
    if (!message.staticAccountKeys[ix.programIdIndex]?.equals(ComputeBudgetProgram.programId)) continue;
    const data = Buffer.from(ix.data);
    if (data[0] === 3) price = data.readBigUInt64LE(1);
    if (data[0] === 2) limit = data.readUInt32LE(1);
  }
  return { price, limit };
}

describe("priority fee on the localnet", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({
      fund: 10 * LAMPORTS_PER_SOL,
      pool: { timeoutMs: 5_000, sendTimeoutMs: 5_000 },
      wrapPool: (pool) => withFeeSamples(pool, [0, 20_000, 50_000, 80_000]),
      executor: { feeCeilingMicroLamports: CEILING, feePercentile: 50, feeCacheMs: 600_000 },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("clamps an estimate above the ceiling, audits the clamp, and the op lands", async () => {
    const a = Keypair.generate().publicKey.toBase58();
    const b = Keypair.generate().publicKey.toBase58();
    const ops = [
      await h.schedule("sol.transfer", { to: a, lamports: 1_000_000 }),
      await h.schedule("sol.transfer", { to: a, lamports: 2_000_000 }),
      await h.schedule("sol.transfer", { to: b, lamports: 1_000_000 }),
    ];
    const done = await h.waitTerminal(
      ops.map((o) => o.id),
      30_000,
    );
    expect(done.map((o) => o.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(await h.pool.getBalance(a)).toBe(3_000_000);

    for (const op of ops) {
      const [entry] = await h.store.getOpLedger(op.id);
      const budget = getComputeBudget(entry?.wire ?? new Uint8Array());
      // The median of the non-zero samples is 50 000: clamped to the ceiling.
      expect(budget.price).toBe(BigInt(CEILING));
      // Transfer (150) + receipt memo (~300) + budget instructions, with margin: far below the old ~9 000.
      expect(budget.limit).toBeGreaterThan(450);
      expect(budget.limit).toBeLessThanOrEqual(1_000);
    }
    const clamps = await h.store.listAudit({ limit: 50, kind: "fees.clamped" });
    expect(clamps.length).toBe(3);
    expect(clamps[0]?.data).toMatchObject({ estimate: 50_000, ceiling: CEILING });

    // Asked for the writable accounts (signer and recipients), the misses of one moment in one
    // call over their union, each account once while its estimate is fresh.
    const signer = h.signer.publicKey.toBase58();
    expect(new Set(feeCalls.flat())).toEqual(new Set([signer, a, b]));
    expect(feeCalls.length).toBeLessThanOrEqual(2);
    expect(feeCalls.flat().filter((x) => x === a)).toHaveLength(1);
  });
});
