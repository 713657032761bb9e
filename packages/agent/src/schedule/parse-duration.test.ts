import { describe, expect, it } from "vitest";
import { isCourierError } from "../errors.js";
import { parseDuration } from "./parse-duration.js";

describe("parseDuration", () => {
  it.each([
    ["500ms", 500],
    ["30s", 30_000],
    ["1m", 60_000],
    ["2h", 7_200_000],
    ["1d", 86_400_000],
    ["1500", 1_500],
    ["0", 0],
    [" 10s ", 10_000],
  ])("%s → %d ms", (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(["", "abc", "1.5s", "-1s", "10x", "1m30s", "s", "99999999999999999999d"])(
    "rejects %j with a validation error naming the input",
    (input) => {
      let caught: unknown;
      try {
        parseDuration(input);
      } catch (e) {
        caught = e;
      }
      expect(isCourierError(caught, "COURIER__VALIDATION")).toBe(true);
      expect((caught as Error).message).toContain(JSON.stringify(input));
    },
  );
});
