export { classifyRpcError, classifyJsonRpcError, classifyTransactionError, JSON_RPC_CODES, getNetworkErrorCode, isTimeoutError } from "./classify.js";
export { classifySendTransactionError, getTransactionErrorFromMessage, isSendTransactionErrorLike, type SendTransactionErrorLike } from "./classify-send-transaction-error.js";
export { RpcTransportError, isRpcTransportError, isInfraFailure, type RpcTransportFailure, type RpcTransportFailureKind } from "./rpc-transport-error.js";
export { getFailingProgram, getTopLevelProgram, getSystemInsufficientLamports } from "./program-logs.js";
export { getCourierInstructionCount } from "./instruction-offset.js";
export { ASSOCIATED_TOKEN_PROGRAM_ID, getProgramErrorName } from "./program-error-names.js";
