/**
 * TEMPORARY: `@courier/agent` does not re-export crank/ from its index yet. Once it does, this
 * file goes and start.ts imports `createCrank` from "@courier/agent" (one edit).
 */
export { createCrank, type Crank } from "../../../../packages/agent/src/crank/index.js";
