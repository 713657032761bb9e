/**
 * Human durations for the CLI and config: "500ms", "30s", "1m", "2h", "1d", or a bare
 * integer meaning milliseconds ("1500"). One unit per string; no fractions, no negatives.
 */
import { CourierError } from "../errors.js";

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION_RE = /^(\d+)\s*(ms|s|m|h|d)?$/;

/** Milliseconds in `input`; throws COURIER__VALIDATION naming the input when it is not a duration. */
export function parseDuration(input: string): number {
  const text = typeof input === "string" ? input.trim() : "";
  const match = DURATION_RE.exec(text);
  if (!match) {
    throw new CourierError(
      "COURIER__VALIDATION",
      `invalid duration ${JSON.stringify(input)}: expected an integer with an optional unit ms, s, m, h or d (e.g. "30s", "1m", "1500")`,
      { field: "duration", input: String(input) },
    );
  }
  const amount = Number(match[1]);
  const unit = (match[2] ?? "ms") as keyof typeof UNIT_MS;
  const ms = amount * UNIT_MS[unit];
  if (!Number.isSafeInteger(ms)) {
    throw new CourierError("COURIER__VALIDATION", `invalid duration ${JSON.stringify(input)}: too large`, {
      field: "duration",
      input: String(input),
    });
  }
  return ms;
}
