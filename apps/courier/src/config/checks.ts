/** Cross-field rules that matter only for a process that serves or signs (start, doctor). */
import { CourierError } from "@courier/agent";
import { isLoopbackHost } from "@courier/admin";
import type { Config } from "./schema.js";

/** The problems that stop `courier start`, each one line naming the variable; empty when fine. */
export function getStartProblems(config: Config): string[] {
  const problems: string[] = [];
  if (config.adminPort !== 0 && !isLoopbackHost(config.adminHost) && !config.adminToken) {
    problems.push(`COURIER_ADMIN_TOKEN: required when COURIER_ADMIN_HOST (${config.adminHost}) is not a loopback address`);
  }
  if (config.rpcUrls.length > 0 && !config.keypair) {
    problems.push("COURIER_KEYPAIR: required when COURIER_RPC_URLS is set (the dev keypair is generated only for the embedded localnet)");
  }
  return problems;
}

export function assertStartable(config: Config): void {
  const [first] = getStartProblems(config);
  if (first) throw new CourierError("COURIER__CONFIG", first);
}
