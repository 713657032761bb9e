export * from "./types.js";
export * from "./errors.js";
export * from "./clock.js";
export * from "./schedule/index.js";
export * from "./actions/index.js";
export * from "./serialize/index.js";
export * from "./store/index.js";
export * from "./crank/index.js";
