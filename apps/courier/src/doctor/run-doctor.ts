/** `courier doctor`: check the config against the machine; any "fail" makes the exit non-zero. */
import { isLoopbackHost } from "@courier/admin";
import { type Config, findUnknownEnv } from "../config/index.js";
import { isPostgresUrl, openConfiguredStore } from "../wiring/open-store.js";
import { checkKeypair } from "./check-keypair.js";
import { checkRpc } from "./check-rpc.js";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { checkIntents } from "./check-intents.js";
import { checkStore } from "./check-store.js";
import { type CheckUnitOptions, checkUnit } from "./check-unit.js";
import { checkWebhooks } from "./check-webhooks.js";
import type { DoctorCheck } from "./types.js";

/**
 * `cwd`: where relative paths (COURIER_DB, the dev keypair) are resolved; the process's by default.
 * `unit`: also compare a systemd unit file with what `courier systemd-unit` generates.
 */
export async function runDoctor(
  config: Config,
  env: Record<string, string | undefined>,
  opts: { cwd?: string; unit?: Omit<CheckUnitOptions, "env" | "workdir"> & { workdir?: string } } = {},
): Promise<DoctorCheck[]> {
  const cwd = opts.cwd ?? process.cwd();
  const checks: DoctorCheck[] = [{ check: "config", status: "ok", detail: `valid (instance ${config.instanceId})` }];
  for (const name of findUnknownEnv(env)) {
    checks.push({ check: "config", status: "warn", detail: `${name} is not a Courier variable (a typo?); it is ignored` });
  }
  checks.push(...(await checkStore(config, cwd)));
  checks.push(await checkIntents(config, () => openExistingStore(config, cwd)));
  checks.push(await checkKeypair(config, cwd));
  checks.push(...(await checkRpc(config)));
  checks.push(checkAdmin(config));
  checks.push(checkWebhooks(config));
  if (opts.unit) checks.push(...checkUnit(config, { ...opts.unit, env }));
  return checks;
}

function checkAdmin(config: Config): DoctorCheck {
  if (config.adminPort === 0) return { check: "admin", status: "ok", detail: "disabled (COURIER_ADMIN_PORT=0)" };
  const where = `${config.adminHost}:${config.adminPort}`;
  if (isLoopbackHost(config.adminHost)) {
    return { check: "admin", status: "ok", detail: `${where} (loopback${config.adminToken ? ", token set" : ", no token"})` };
  }
  return config.adminToken
    ? { check: "admin", status: "ok", detail: `${where} beyond loopback, token set` }
    : { check: "admin", status: "fail", detail: `${where} is not loopback: set COURIER_ADMIN_TOKEN (the API can move money)` };
}

/** The configured store when it exists (the doctor never creates a SQLite file). */
async function openExistingStore(config: Config, cwd: string) {
  if (isPostgresUrl(config.db)) return openConfiguredStore(config);
  const path = resolve(cwd, config.db);
  return existsSync(path) ? openConfiguredStore({ ...config, db: path }) : null;
}
