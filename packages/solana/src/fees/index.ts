export {
  getComputeUnitLimit,
  getComputeBudgetInstructions,
  MIN_COMPUTE_UNITS,
  MAX_COMPUTE_UNITS,
  COMPUTE_UNIT_MARGIN,
} from "./compute-budget.js";
export { createPriorityFeeEstimator, getPercentile, getRaisedPrice, type PriorityFeeEstimator } from "./priority-fee.js";
