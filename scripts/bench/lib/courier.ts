/**
 * The one place the benchmarks reach into the workspace packages. The repository root has no
 * dependency on `@courier/*` (scripts/ is not a workspace package), so the package entry points
 * are imported by path here; every other bench module imports from this file only.
 */
export * from "../../../packages/agent/src/index.js";
// The crank is not re-exported by the agent's index yet.
export { createCrank, type Crank, type CrankOptions } from "../../../packages/agent/src/crank/index.js";
