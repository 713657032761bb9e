export { FIELDS, CONFIG_KEYS, type ConfigKey, type FieldSpec, type FieldKind } from "./fields.js";
export { configSchema, CONFIG_DEFAULTS, DEV_KEYPAIR_PATH, type Config, type ConfigValues } from "./schema.js";
export { loadConfig, findUnknownEnv, type LoadConfigOptions } from "./load-config.js";
export { getStartProblems, assertStartable } from "./checks.js";
export { renderConfigTable } from "./render-table.js";
