export type { FaultSettings, Localnet, LocalnetLogger, LocalnetOptions } from "./types.js";
export { startLocalnet } from "./start-localnet.js";
export { runLocalnetCommand, type LocalnetCommandOptions } from "./cli.js";
export { measureEngineCeiling, measureLocalnetCeiling, type CeilingOptions, type CeilingResult } from "./bench-ceiling.js";
export { LOCALNET_PROFILES, isLocalnetProfileName, type LocalnetProfile, type LocalnetProfileName } from "./profiles.js";
export type { RateLimitSettings } from "./rate-limit.js";
