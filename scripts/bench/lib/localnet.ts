/** The localnet package for the benchmarks (imported by path for the same reason as courier.ts). */
export * from "../../../packages/localnet/src/index.js";
// Not re-exported by the localnet's index yet.
export { type CeilingOptions, type CeilingResult, measureLocalnetCeiling } from "../../../packages/localnet/src/bench-ceiling.js";
