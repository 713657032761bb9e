export {
  createSolanaExecutor,
  type SolanaExecutor,
  type SolanaExecutorOptions,
  type SolanaExecutorStats,
} from "./create-solana-executor.js";
