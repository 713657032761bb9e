export { createAdminApp, DEFAULT_BODY_LIMIT_BYTES } from "./create-admin-app.js";
export { type ErrorBody, getHttpStatus } from "./http/error-response.js";
export { type AdminMetrics, type AttemptObservation, createAdminMetrics, type ScrapeGauges } from "./metrics/create-admin-metrics.js";
export {
  applyOperatorVerb,
  cancelOperatorOp,
  OPERATOR_VERBS,
  type OperatorVerb,
  pauseOperatorOp,
  resumeOperatorOp,
  retryOperatorOp,
} from "./op-verbs.js";
export { getReadiness, type Readiness } from "./readiness.js";
export { createOpenApiDocument } from "./routes/openapi-route.js";
export { getDefaultExplorerUrl } from "./ui/explorer.js";
export { assertSafeBind, isLoopbackHost, type ServedAdmin, serveAdmin } from "./serve.js";
export {
  type AdminDeps,
  type AdminLogger,
  CRANK_STATES,
  type CrankState,
  type ReadinessReport,
  type RpcEndpointHealth,
} from "./types.js";
