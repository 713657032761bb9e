export {
  COMPUTE_UNIT_MARGIN,
  getComputeBudgetInstructions,
  getComputeUnitLimit,
  MAX_COMPUTE_UNITS,
  MIN_COMPUTE_UNITS,
} from "./compute-budget.js";
export { createPriorityFeeEstimator, getPercentile, getRaisedPrice, type PriorityFeeEstimator } from "./priority-fee.js";
