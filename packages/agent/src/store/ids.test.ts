import { describe, expect, it } from "vitest";
import { newOpId } from "./ids.js";

describe("newOpId", () => {
  it("is op_ + 26 base32 chars, unique, and sorts by time", () => {
    const t = Date.UTC(2026, 0, 1);
    const ids = [newOpId(t + 1), newOpId(t), newOpId(t + 86_400_000), newOpId(t + 2)];
    for (const id of ids) expect(id).toMatch(/^op_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect([...ids].sort()).toEqual([ids[1], ids[0], ids[3], ids[2]]);
    const many = new Set(Array.from({ length: 1000 }, () => newOpId(t)));
    expect(many.size).toBe(1000);
  });
});
