/**
 * The Solana package for the benchmarks (imported by path for the same reason as courier.ts).
 * Load it lazily (dynamic import) from a benchmark's run(), so a broken Solana build only fails
 * the benchmarks that need it.
 */
export * from "@courier/solana";
