import type { Config } from "../config/index.js";

/** The supervisor's bounds from the config (the generated systemd unit derives its limits from the same values). */
export function getSupervisorLimits(config: Pick<Config, "supervisorMaxRestarts" | "supervisorWindowMs" | "supervisorCooldownMs">): {
  maxRestarts: number;
  windowMs: number;
  restartCooldownMs: number;
} {
  return { maxRestarts: config.supervisorMaxRestarts, windowMs: config.supervisorWindowMs, restartCooldownMs: config.supervisorCooldownMs };
}
