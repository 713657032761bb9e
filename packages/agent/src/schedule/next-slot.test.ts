import { describe, expect, it } from "vitest";
import { nextSlotAfter, slotsBetween } from "./next-slot.js";

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

describe("nextSlotAfter: every", () => {
  const anchor = Date.UTC(2026, 0, 1, 0, 0, 0, 123);
  const every = { kind: "every", every_ms: 7_001, anchor } as const;

  it("returns the anchor itself when `after` is before it", () => {
    expect(nextSlotAfter(every, anchor - 1)).toBe(anchor);
    expect(nextSlotAfter(every, anchor - 1_000_000)).toBe(anchor);
  });

  it("is strictly after: a slot time yields the following slot", () => {
    expect(nextSlotAfter(every, anchor)).toBe(anchor + 7_001);
    expect(nextSlotAfter(every, anchor + 7_001)).toBe(anchor + 2 * 7_001);
  });

  it("never drifts over 100 slots, even when each run ends late", () => {
    let t = anchor - 1;
    for (let k = 0; k < 100; k++) {
      const slot = nextSlotAfter(every, t);
      expect(slot).toBe(anchor + k * 7_001);
      // a run finishing 3.5 s late must not move the next slot
      t = (slot as number) + 3_500;
      expect(nextSlotAfter(every, t)).toBe(anchor + (k + 1) * 7_001);
      t = slot as number;
    }
  });

  it("skips every slot already passed after a long downtime", () => {
    expect(nextSlotAfter(every, anchor + 1_000 * 7_001 + 5)).toBe(anchor + 1_001 * 7_001);
  });
});

describe("nextSlotAfter: once", () => {
  it("has no next slot", () => {
    expect(nextSlotAfter({ kind: "once" }, 0)).toBeNull();
  });
});

describe("nextSlotAfter: cron", () => {
  it("follows the wall clock of the zone across both DST changes", () => {
    const nine = { kind: "cron", cron: "0 9 * * *", tz: "America/New_York" } as const;
    const spring: Array<string | null> = [];
    let t = Date.UTC(2026, 2, 6);
    for (let i = 0; i < 4; i++) {
      const n = nextSlotAfter(nine, t) as number;
      spring.push(iso(n));
      t = n;
    }
    expect(spring).toEqual([
      "2026-03-06T14:00:00.000Z",
      "2026-03-07T14:00:00.000Z",
      "2026-03-08T13:00:00.000Z",
      "2026-03-09T13:00:00.000Z",
    ]);
    const fall = slotsBetween(nine, Date.UTC(2026, 9, 30), Date.UTC(2026, 10, 3), 10).map(iso);
    expect(fall).toEqual([
      "2026-10-30T13:00:00.000Z",
      "2026-10-31T13:00:00.000Z",
      "2026-11-01T14:00:00.000Z",
      "2026-11-02T14:00:00.000Z",
    ]);
  });

  it("fires a nonexistent local time once, shifted forward by the DST gap", () => {
    const twoThirty = { kind: "cron", cron: "30 2 * * *", tz: "America/New_York" } as const;
    const slots = slotsBetween(twoThirty, Date.UTC(2026, 2, 7), Date.UTC(2026, 2, 10), 10).map(iso);
    expect(slots).toEqual([
      "2026-03-07T07:30:00.000Z", // 02:30 EST
      "2026-03-08T07:30:00.000Z", // 02:30 does not exist: 03:30 EDT
      "2026-03-09T06:30:00.000Z", // 02:30 EDT
    ]);
  });

  it("fires a repeated local time once, at its first occurrence", () => {
    const oneThirty = { kind: "cron", cron: "30 1 * * *", tz: "America/New_York" } as const;
    const slots = slotsBetween(oneThirty, Date.UTC(2026, 9, 31, 12), Date.UTC(2026, 10, 2, 12), 10).map(iso);
    expect(slots).toEqual(["2026-11-01T05:30:00.000Z", "2026-11-02T06:30:00.000Z"]);
  });

  it("is strictly after `after`, including sub-second inputs", () => {
    const everyMinute = { kind: "cron", cron: "* * * * *", tz: "UTC" } as const;
    const minute = Date.UTC(2026, 0, 1, 10, 0);
    expect(nextSlotAfter(everyMinute, minute)).toBe(minute + 60_000);
    expect(nextSlotAfter(everyMinute, minute - 1)).toBe(minute);
    expect(nextSlotAfter(everyMinute, minute + 999)).toBe(minute + 60_000);
  });

  it("returns null for a pattern that never fires", () => {
    expect(nextSlotAfter({ kind: "cron", cron: "0 0 30 2 *", tz: "UTC" }, 0)).toBeNull();
  });
});

describe("slotsBetween", () => {
  const every = { kind: "every", every_ms: 1_000, anchor: 10_000 } as const;

  it("returns the slots in (from, to], oldest first", () => {
    expect(slotsBetween(every, 10_000, 13_000, 100)).toEqual([11_000, 12_000, 13_000]);
    expect(slotsBetween(every, 9_999, 10_000, 100)).toEqual([10_000]);
  });

  it("stops at the cap", () => {
    expect(slotsBetween(every, 0, 1_000_000_000, 5)).toEqual([10_000, 11_000, 12_000, 13_000, 14_000]);
    expect(slotsBetween(every, 0, 1_000_000_000, 0)).toEqual([]);
  });

  it("is empty for a once schedule or an empty window", () => {
    expect(slotsBetween({ kind: "once" }, 0, 1e12, 10)).toEqual([]);
    expect(slotsBetween(every, 12_000, 12_500, 10)).toEqual([]);
  });

  it("caps cron slots too", () => {
    const hourly = { kind: "cron", cron: "0 * * * *", tz: "UTC" } as const;
    const from = Date.UTC(2026, 0, 1);
    expect(slotsBetween(hourly, from, from + 100 * 3_600_000, 3)).toEqual([
      from + 3_600_000,
      from + 2 * 3_600_000,
      from + 3 * 3_600_000,
    ]);
  });
});
