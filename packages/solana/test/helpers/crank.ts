// TEMPORARY until @courier/agent re-exports the crank: switch to `from "@courier/agent"`.
export { createCrank, type Crank, type CrankOptions } from "../../../agent/src/crank/index.js";
