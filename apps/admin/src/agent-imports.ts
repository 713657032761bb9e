/**
 * @courier/agent names the admin service uses that the package's index does not re-export yet.
 * TEMPORARY: once `@courier/agent` re-exports schedule/ and serialize/, these become plain
 * `from "@courier/agent"` imports (one edit here).
 */
export { scheduleOp, scheduleInputSchema } from "../../../packages/agent/src/schedule/index.js";
export {
  opToJSON,
  getRunsJSON,
  ledgerEntryToJSON,
  toIso,
  type OpJSON,
  type AttemptJSON,
  type LedgerEntryJSON,
} from "../../../packages/agent/src/serialize/index.js";
