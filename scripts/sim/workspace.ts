/**
 * The one place the simulations reach into the workspace. scripts/ is not a workspace package,
 * so the repository root cannot resolve `@courier/*` or their dependencies: the package entry
 * points are imported by path, and pino is loaded from the agent package (the version Courier
 * itself runs with). Every other sim module imports from here.
 */
import { createRequire } from "node:module";
import type { RunContext } from "@courier/agent";

export {
  type ActionRegistry,
  type AttemptRecord,
  CourierError,
  type Crank,
  coerceError,
  createActionRegistry,
  createCrank,
  isCourierError,
  nextSlotAfter,
  type Op,
  type ScheduleInputBody,
  type Store,
  scheduleOp,
  systemClock,
  TERMINAL_STATUSES,
} from "@courier/agent";
export { openSqliteStore, type SqliteStore } from "@courier/sqlite";
export { type Localnet, startLocalnet } from "@courier/localnet";
export {
  createRpcPool,
  createSignerFromSecretKey,
  createSolanaExecutor,
  generateKeypairFile,
  loadKeypair,
  redactUrl,
  registerSolanaActions,
  type RpcPool,
  type RpcPoolOptions,
  type Signer,
  type SolanaExecutor,
} from "@courier/solana";
/** pino's Logger, as the crank takes it. */
export type Logger = RunContext["log"];

const requireFromAgent = createRequire(new URL("../../packages/agent/package.json", import.meta.url));

/** A pino logger writing JSON lines to `path` (the in-process cranks' log in the run directory). */
export function createFileLogger(path: string, level: string): Logger {
  type Pino = ((opts: { level: string }, dest: unknown) => Logger) & { destination(o: { dest: string; sync: boolean }): unknown };
  const pino = requireFromAgent("pino") as Pino;
  return pino({ level }, pino.destination({ dest: path, sync: true }));
}
