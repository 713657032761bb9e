export { classifyRpcError, classifyJsonRpcError, classifyTransactionError, JSON_RPC_CODES, getNetworkErrorCode, isTimeoutError } from "./classify.js";
export { classifySendTransactionError, getTransactionErrorFromMessage, isSendTransactionErrorLike, type SendTransactionErrorLike } from "./classify-send-transaction-error.js";
export { RpcTransportError, isRpcTransportError, isInfraFailure, type RpcTransportFailure, type RpcTransportFailureKind } from "./rpc-transport-error.js";
export { getFailingProgram, getTopLevelProgram, getSystemInsufficientLamports } from "./program-logs.js";
