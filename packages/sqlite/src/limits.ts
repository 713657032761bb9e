/** A page size from caller input: at least 1, at most `max`; anything not a number means `max`. */
export function clampLimit(limit: number, max: number): number {
  return Number.isFinite(limit) ? Math.min(max, Math.max(1, Math.floor(limit))) : max;
}
