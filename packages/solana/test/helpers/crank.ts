// TEMPORARY until @courier/agent re-exports the crank: switch to `from "@courier/agent"`.
export { type Crank, type CrankOptions, createCrank } from "../../../agent/src/crank/index.js";
