export {
  type AttemptJSON,
  attemptToJSON,
  getRunsJSON,
  type LedgerEntryJSON,
  ledgerEntryToJSON,
  type OpJSON,
  opToJSON,
  type ScheduleJSON,
  scheduleToJSON,
  toIso,
} from "./op-json.js";
