/** The localnet package for the benchmarks (imported by path for the same reason as courier.ts). */
export * from "@courier/localnet";
