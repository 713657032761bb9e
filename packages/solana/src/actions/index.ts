export { anchorInvokeAction, createAnchorInvokeAction } from "./anchor-invoke.js";
export { createMemoInstruction, MAX_MEMO_BYTES, MEMO_PROGRAM_ID, memoAction } from "./memo.js";
export {
  createSolanaActionRegistry,
  getBuiltinSolanaActions,
  registerAction,
  registerSolanaActions,
  type BuiltinActionOptions,
  type SolanaActionRegistry,
} from "./registry.js";
export { base58Key, u64Amount } from "./schemas.js";
export { solTransferAction } from "./sol-transfer.js";
export { splTransferAction } from "./spl-transfer.js";
export type { ActionBuildContext, BuiltAction, SolanaActionDef } from "./types.js";
