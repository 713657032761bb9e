export type { ActionBuildContext, BuiltAction, SolanaActionDef } from "./types.js";
export { solTransferAction } from "./sol-transfer.js";
export { splTransferAction } from "./spl-transfer.js";
export { memoAction, createMemoInstruction, MEMO_PROGRAM_ID, MAX_MEMO_BYTES } from "./memo.js";
export { anchorInvokeAction } from "./anchor-invoke.js";
export { base58Key, u64Amount } from "./schemas.js";
export {
  createSolanaActionRegistry,
  registerSolanaActions,
  registerAction,
  getBuiltinSolanaActions,
  type SolanaActionRegistry,
} from "./registry.js";
