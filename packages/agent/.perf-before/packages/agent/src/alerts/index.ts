export {
  ALERT_KEYS,
  createDeadOpsCheck,
  createHaltedCheck,
  createOverdueCheck,
  createRpcDownCheck,
  createSignerBalanceCheck,
  createSpendCapCheck,
  type AlertCheck,
  type AlertCondition,
  type RpcStatus,
} from "./checks.js";
export { getDeadOpLister, getOverdueCounter, getSpendCapHitCounter, SPEND_CAP_CODES, SPEND_REFUSAL_AUDIT_KIND } from "./store-inputs.js";
export { createAlertMonitor, type AlertMonitor, type AlertMonitorOptions, type AlertTransition } from "./create-alert-monitor.js";
