import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAdminMetrics } from "@courier/admin";
import { openSqliteStore, type SqliteStore } from "@courier/sqlite";
import { afterEach, describe, expect, it } from "vitest";
import { withSpendMetrics } from "./process-metrics.js";

async function spentTotal(metrics: ReturnType<typeof createAdminMetrics>, signer: string): Promise<number> {
  const text = await metrics.registry.metrics();
  const line = text.split("\n").find((l) => l.startsWith("courier_spend_lamports_total{") && l.includes(`"${signer}"`));
  return line ? Number(line.split(" ").pop()) : 0;
}

describe("withSpendMetrics", () => {
  let dir = "";
  let store: SqliteStore | undefined;
  afterEach(async () => {
    await store?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("counts reservations made one by one and in a batch, but not refused ones", async () => {
    dir = await mkdtemp(join(tmpdir(), "courier-spend-metrics-"));
    store = await openSqliteStore(join(dir, "courier.db"));
    const metrics = createAdminMetrics();
    const s = withSpendMetrics(store, metrics);
    expect(await s.reserveSpend({ signer: "S1", day: "2026-01-01", lamports: 10, cap: 100 })).toBe(10);
    const totals = await s.reserveSpends([
      { signer: "S1", day: "2026-01-01", lamports: 20, cap: 100 },
      { signer: "S1", day: "2026-01-01", lamports: 500, cap: 100 },
      { signer: "S1", day: "2026-01-01", lamports: 30, cap: 100 },
    ]);
    expect(totals).toEqual([30, null, 60]);
    expect(await spentTotal(metrics, "S1")).toBe(60);
    // Other verbs pass through to the store, bound to it.
    expect(await s.spendToday({ day: "2026-01-01" })).toBe(60);
    expect(s.spendToday).toBe(s.spendToday);
  });
});
