export type { Commitment, CircuitState, EndpointHealth, SignatureStatus, RpcPool, RpcObserver, RpcRequestObservation } from "./types.js";
export { createRpcPool, getSignatureFromWire, MAX_SIGNATURES_PER_CALL, RPC_POOL_DEFAULTS, type RpcPoolOptions } from "./create-rpc-pool.js";
export { createCircuitBreaker, getProbeBudget, DEFAULT_BREAKER_OPTIONS, type BreakerOptions, type CircuitBreaker } from "./circuit-breaker.js";
export { createTokenBucket, type TokenBucket } from "./token-bucket.js";
export { redactUrl } from "./redact-url.js";
export { toRpcTarget, type RpcTarget } from "./rpc-target.js";
export { parseRetryAfter, DEFAULT_RETRY_AFTER_MS } from "./json-rpc-transport.js";
export type { PoolLogger } from "./endpoint.js";
export { createEndpointBudget, AUTO_RATE, type BudgetSnapshot, type EndpointBudget, type RpcRate } from "./endpoint-budget.js";
