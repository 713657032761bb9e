export {
  loadConfig,
  findUnknownEnv,
  configSchema,
  CONFIG_DEFAULTS,
  CONFIG_KEYS,
  FIELDS,
  DEV_KEYPAIR_PATH,
  getStartProblems,
  assertStartable,
  renderConfigTable,
  type Config,
  type ConfigValues,
  type ConfigKey,
  type FieldSpec,
  type LoadConfigOptions,
} from "./config/index.js";
export { runCli, createProgram } from "./cli/program.js";
export { getProcessIo, type CliIo } from "./cli/io.js";
export { EXIT_OK, EXIT_FAILURE, EXIT_USAGE, getExitCode } from "./cli/exit-codes.js";
export { getDemoOps } from "./wiring/demo.js";
export { createLogger } from "./wiring/logger.js";
