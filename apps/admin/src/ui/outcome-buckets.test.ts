/** Chart buckets: closed buckets are counted once and kept; each later render counts only open ones. */
import { describe, expect, it } from "vitest";
import { type CountOutcomes, createOutcomeBuckets } from "./outcome-buckets.js";
import { sumByHour } from "./overview-data.js";

const MIN = 60_000;
const T = Date.UTC(2026, 0, 1, 12, 0, 0);

describe("outcome buckets", () => {
  it("counts the whole window once, then only the buckets still open", async () => {
    const calls: Array<{ since: number; until: number }> = [];
    const count: CountOutcomes = async (a) => {
      calls.push({ since: a.since, until: a.until });
      return [
        { bucket: a.since, outcome: "ok", n: 2 },
        { bucket: a.since, outcome: "permanent", n: 1 },
      ];
    };
    const read = createOutcomeBuckets({ bucketMs: 5 * MIN, buckets: 12, count });
    const first = await read(T + 30_000);
    expect(first).toHaveLength(12);
    expect(calls[0]).toEqual({ since: T - 55 * MIN, until: T + 5 * MIN });
    expect(first[0]).toEqual({ start: T - 55 * MIN, ok: 2, failed: 1, retried: 0 });
    // 2 minutes later: every bucket that closed over a minute ago is kept, so the query starts at the one before
    await read(T + 2 * MIN);
    expect(calls[1]?.since).toBe(T - 5 * MIN);
    await read(T + 7 * MIN);
    expect(calls[2]?.since).toBe(T);
  });

  it("sums 5-minute buckets into hours", () => {
    const series = [0, 5, 55, 60, 65].map((m) => ({ start: T + m * MIN, ok: 1, failed: 0, retried: 1 }));
    expect(sumByHour(series)).toEqual([
      { start: T, ok: 3, failed: 0, retried: 3 },
      { start: T + 60 * MIN, ok: 2, failed: 0, retried: 2 },
    ]);
  });
});
