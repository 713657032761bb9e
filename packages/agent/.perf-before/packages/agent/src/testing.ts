/** Test-only helpers shared across packages (imports vitest: never import from production code). */
export { describeStoreConformance } from "./store/conformance.js";
