/** Epoch ms → ISO-8601 for responses (null stays null). */
export function toIsoOrNull(ms: number | null | undefined): string | null {
  return typeof ms === "number" && Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** The UTC day (YYYY-MM-DD) spend is accounted under. */
export function getUtcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
