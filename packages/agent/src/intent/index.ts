export * from "./canonical-json.js";
export * from "./op-intent.js";
export * from "./compare-op-intent.js";
